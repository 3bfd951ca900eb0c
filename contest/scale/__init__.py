"""seed-scale: a national-scale edition generated on demand (2,000 needs, 20,000 bids, 300 judges …), for
benchmarks and statement-count tests. A tool, not a service: it writes rows in bulk, no audit events.

plan (sizes, stages, calendar, tables), words, people, bidding, judging, final and contracts generate the
rows (pure: no database); generate puts them together; write inserts them in bulk; documents gives the
contracts their PDFs; seed runs it all for the command (contest/cli_scale.py); pages lists the pages the
benchmark and the tests request on a generated edition.
"""
