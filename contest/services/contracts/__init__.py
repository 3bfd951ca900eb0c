"""Contracts: drafting from a confirmed winner, issuing the numbered PDF, the document's text, follow-up
(signing, acceptances, payments), batch printing, statistics and the registration export."""
