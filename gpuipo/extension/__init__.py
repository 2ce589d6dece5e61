"""Sphinx extension: keeps the book in step with data/ and the gpuipo package. setup() only wires events,
one module per concern; nothing here computes a figure of the report.

- state: the build folders one build fills and the next reuses (execution cache, generated files,
  parsed pages), trusted only as the last build sealed them (gpuipo.build.seals);
- head: each page's head: description and preview card, deferred scripts, no Thebe and no FontAwesome
  script, the site's address, the static files the pages need;
- marks: what the doctree gains: glue keys on pasted values, the low-authority mark, minus signs,
  Chinese runs;
- latex: the PDF's title page and its layout transforms (grade headings, headings kept with tables);
- outputs: the bibliography, key_figures.csv, preview images, the PDF and the record of what this build
  wrote into the site; and the icon font cut to what the site draws (icon_font).
"""
from gpuipo.extension.head import (base_url, defer_scripts, deferred_scripts_only, describe_page, drop_thebe,
                                   register_template_filters, require_static_files)
from gpuipo.extension.latex import GradeHeadings, KeepHeadingsWithTables, title_page
from gpuipo.extension.marks import (ChineseText, KeyedPasteText, MarkChinese, MarkLowAuthority, MinusSigns,
                                    depart_chinese_html, depart_chinese_latex, forget_printed_values,
                                    merge_printed_values, record_printed_values, skip_node, start_printed_values,
                                    visit_chinese_html, visit_chinese_latex)
from gpuipo.extension.outputs import (cut_icon_fonts, link_pdf, no_build_folder_is_copied_whole, record_page,
                                      ship_pdf, ship_preview_images, write_bibliography, write_key_figures, write_record)
from gpuipo.extension.state import (forget_the_run_parsed, merge_the_runs_parsed, name_the_page_being_read,
                                    own_build_state, remember_the_run_parsed, reread_stale_pages, seal_build_state)


def setup(app):
    app.add_role_to_domain("glue", "text", KeyedPasteText(), override=True)
    app.add_post_transform(MarkLowAuthority)
    app.add_post_transform(MinusSigns)
    app.add_post_transform(GradeHeadings)
    app.add_post_transform(KeepHeadingsWithTables)
    app.add_node(ChineseText, html=(visit_chinese_html, depart_chinese_html),
                 latex=(visit_chinese_latex, depart_chinese_latex), text=(skip_node, skip_node))
    app.add_post_transform(MarkChinese)
    app.connect("builder-inited", start_printed_values)
    app.connect("doctree-read", record_printed_values)
    app.connect("env-purge-doc", forget_printed_values)
    app.connect("env-merge-info", merge_printed_values)
    app.connect("builder-inited", require_static_files)
    app.connect("builder-inited", no_build_folder_is_copied_whole)
    app.connect("builder-inited", lambda app: setattr(app, "gpuipo_written", set()))
    app.connect("html-page-context", record_page, priority=900)
    app.connect("build-finished", ship_preview_images)
    app.connect("build-finished", write_record, priority=950)   # after every other writer (sitemap: 500)
    app.connect("builder-inited", register_template_filters)
    app.connect("build-finished", ship_pdf)
    app.connect("build-finished", write_key_figures)
    app.connect("build-finished", cut_icon_fonts)
    app.connect("html-page-context", describe_page, priority=400)   # before sphinxext-opengraph (500)
    app.connect("html-page-context", defer_scripts)
    app.connect("html-page-context", drop_thebe)
    app.connect("html-page-context", link_pdf)
    app.connect("config-inited", deferred_scripts_only)   # before Sphinx reads html_js_files (800)
    app.connect("config-inited", base_url)
    app.connect("config-inited", write_bibliography, priority=400)
    app.connect("config-inited", title_page, priority=420)
    # Before anything is written to the build folders (the bibliography goes into the generated files).
    app.connect("config-inited", own_build_state, priority=390)
    app.connect("build-finished", seal_build_state, priority=900)
    app.connect("env-get-outdated", reread_stale_pages)
    app.connect("source-read", name_the_page_being_read)
    app.connect("doctree-read", remember_the_run_parsed)
    app.connect("env-purge-doc", forget_the_run_parsed)
    app.connect("env-merge-info", merge_the_runs_parsed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
