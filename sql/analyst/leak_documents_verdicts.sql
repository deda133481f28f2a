-- Question: which leaked cost sheets hold up, and which contain figures that cannot be true?
-- One row per cost-sheet file: its status, companies and coins, lines read, claims found plausible,
-- implausible and unverifiable, and a one-phrase verdict. A sheet with any implausible claim cannot be
-- taken at face value; quarantined and duplicate files say why they were not read.
SELECT path, document_verdict, companies, coins, period_start, period_end, data_lines,
       claims, plausible_claims, implausible_claims, unverifiable_claims, implausible_claim_kinds
FROM views.leak_verdicts_by_document
ORDER BY implausible_claims DESC NULLS LAST, path;
