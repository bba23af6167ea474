"""Plain-language reasons a visit sheet shows when a signal pushes a household up."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """A reason code with its Korean and English text; `{v}` is the signal's value."""

    code: str
    ko: str
    en: str


REASONS: dict[str, Reason] = {
    r.code: r
    for r in (
        Reason(
            "utility_cutoff_6m",
            "최근 6개월 내 단전·단수·단가스",
            "utility cut off in the last 6 months",
        ),
        Reason(
            "utility_arrears_months",
            "공과금(전기·수도·가스) {v}개월 체납",
            "utilities unpaid {v} months",
        ),
        Reason(
            "nhis_arrears_months", "건강보험료 {v}개월 체납", "health insurance unpaid {v} months"
        ),
        Reason("catastrophic_medical", "과다 의료비 발생", "catastrophic medical costs"),
        Reason("telecom_arrears_months", "통신비 {v}개월 체납", "phone bill unpaid {v} months"),
        Reason("credit_delinquency_days", "금융 연체 {v}일", "debt overdue {v} days"),
        Reason(
            "housing_arrears_months", "임대료·관리비 {v}개월 체납", "rent or fees unpaid {v} months"
        ),
        Reason("job_loss_6m", "최근 6개월 내 실직", "lost a job in the last 6 months"),
        Reason(
            "referrals_90d", "최근 90일 내 위기 제보 {v}건", "{v} referrals in the last 90 days"
        ),
        Reason("older_alone", "65세 이상 홀로 사는 가구", "older person living alone"),
        Reason("any_disabled", "장애인 가구원", "a member with a disability"),
    )
}
