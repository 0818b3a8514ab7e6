"""The official frame of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): the
texts (`frame`, pure), and their drawing in DOCX (`docx`) and PDF (`pdf`). Every document hoptac
writes for signing goes through it: the written report, the reminder letter, the national-system
forms' cover."""
