"""Readers of published self-evaluation tables (项目支出绩效自评表) in text layouts.

The layouts differ only in how a table's cells reach us: a pipe table (``pipe``), one cell per line
(``cell_lines``), a Word table flattened to one line of words (``flat``), or text whose cells run
together (``runon``, OCR and document-sharing sites). Each layout module turns text into
:class:`~jixiao.io.readers.selfeval.cells.Cell` s; one grammar (``form``) reads cells into a
:class:`~jixiao.domain.selfeval_table.SelfEvaluationTable`, with every word from ``vocabulary``.
"""
