"""Put computed numbers, charts, tables and text into the book, each citing what it was computed from.

The notebooks' one import surface. Behind it, one module per concern:
- markup: MyST text (every data string escaped) and the only markup code writes;
- ledger: what a chapter has shown, with the rows behind each value, figure and table;
- display: paragraphs, charts and tables with captions citing their sources; the chapter's source list;
- tables: pipe tables and their print layout; downloads: spreadsheet-safe CSVs;
- charts: a chart's outputs (static SVG and PNG, spec, the data behind it);
- keyfigures, catalog, bibliography: key_figures.csv, the data dictionary, the BibTeX registry.
It also passes on the few names of lower layers a notebook needs (the article's date, the tolerances,
Facts), so that a notebook imports its chapter module and this, nothing else.
"""
from gpuipo.contract.vocabulary import ARTICLE_DATE, TOLERANCES
from gpuipo.facts import Facts
from gpuipo.publish.display import (package_data_as_of, show_bibliography, show_chapter_sources, show_chart, show_heading,
                                    show_markdown, show_table, show_web_only)
from gpuipo.publish.downloads import csv_text, publish_csv, spreadsheet_safe
from gpuipo.publish.ledger import (HINDSIGHT, chapter, glue, glue_all, key_figures, ledger_path, page_file, plain,
                                   preview_image)
from gpuipo.publish.markup import Markup, cite, code, download, md, strong, text
from gpuipo.publish.tables import column_widths, markdown_table, printed_lines, table_block

__all__ = ["ARTICLE_DATE", "Facts", "HINDSIGHT", "Markup", "TOLERANCES", "chapter", "cite", "code", "column_widths",
           "csv_text", "download", "glue", "glue_all", "key_figures", "ledger_path", "markdown_table", "md",
           "package_data_as_of", "page_file", "plain", "preview_image", "printed_lines", "publish_csv",
           "show_bibliography", "show_chapter_sources", "show_chart", "show_heading", "show_markdown", "show_table",
           "show_web_only", "spreadsheet_safe", "strong", "table_block", "text"]
