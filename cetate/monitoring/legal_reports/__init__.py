"""The reports the law asks of a city hall: the semi-annual report of petitions (OG 27/2002)
and the yearly report on public information (Law 544/2001). Pure counting from the register
(`petitions`, `information`), the same tables for the page and the files (`document`), and the
files themselves (`files`). docs/legal-reports.md defines every figure."""
