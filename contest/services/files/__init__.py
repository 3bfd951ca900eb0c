"""Stored files: uploads checked as PDF and staged until their rows commit, the sweep of files left in
flight, and spreadsheet writing."""
