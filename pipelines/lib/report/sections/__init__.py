"""The report's sections, one module each (verdict, leaks, fleet, profitability, attribution, chain,
sensitivity, assumptions, quality), with what they share in `shared`; `report.content` puts them
in order into a Document."""
