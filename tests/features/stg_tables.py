"""Empty stg_ relations with the documented columns, for feature tests on inline rows."""

from __future__ import annotations

import duckdb

STG_COLUMNS = {
    "stg_registry": "person_key varchar, household_key varchar, relation varchar, birth_date date, "
    "sex varchar, disabled boolean, emd_code varchar, moved_in date, deceased boolean",
    "stg_kepco": "person_key varchar, ym varchar, month date, arrears_months integer, "
    "arrears_amount bigint, cutoff boolean, current_limiter boolean, usage_kwh double",
    "stg_water": "person_key varchar, ym varchar, month date, arrears_months integer, "
    "arrears_amount bigint, cutoff boolean",
    "stg_gas": "person_key varchar, ym varchar, month date, arrears_months integer, "
    "arrears_amount bigint, cutoff boolean, usage_m3 double",
    "stg_nhis": "person_key varchar, ym varchar, month date, premium_arrears_months integer, "
    "premium_arrears_amount bigint, catastrophic_medical boolean, medical_oop_amount bigint",
    "stg_nps": "person_key varchar, ym varchar, month date, contribution_arrears_months integer, "
    "emergency_loan boolean",
    "stg_telecom": "person_key varchar, ym varchar, month date, arrears_months integer, arrears_amount bigint",
    "stg_credit": "person_key varchar, ym varchar, month date, delinquent_amount bigint, "
    "delinquency_days integer, debt_relief_dropped boolean",
    "stg_housing": "household_key varchar, ym varchar, month date, kind varchar, "
    "arrears_months integer, arrears_amount bigint",
    "stg_employment": "person_key varchar, event_date date, event varchar, industry varchar",
    "stg_benefits": "household_key varchar, program varchar, start_date date, end_date date",
    "stg_referrals": "household_key varchar, referral_date date, source varchar, concern varchar",
}


def create_stg_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every stg_ relation empty, each with a delivery_date column."""
    for name, columns in STG_COLUMNS.items():
        con.execute(f"create table {name} ({columns}, delivery_date date)")
