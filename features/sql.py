"""Kept for models/labels.py only: used_params, temp_table and run_statements live in
sagak/warehouse.py beside sql_text and quote_ident; this module goes once labels imports them
from there."""

from sagak.warehouse import run_statements, temp_table, used_params

__all__ = ["run_statements", "temp_table", "used_params"]
