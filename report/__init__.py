"""The HTML kit of the self-contained pages (report.html and its monitoring section): page,
tables and PNG charts inline, nothing fetched when the page is opened."""
