"""What the marks on a visit sheet mean: the two legend lines above its table and its second
sheet, 안내 (English in an English sheet)."""

from __future__ import annotations

from xlsxwriter import Workbook

from outreach.outcomes import OUTCOME_NAMES
from outreach.services import SERVICES

GUIDE_TITLE = "안내"

LEGEND = {
    "ko": (
        "● 탐색 가구: 점수와 관계없이 무작위로 뽑힌 가구(모델이 놓치는 가구를 찾기 위한 표본)"
        " — 다른 가구와 똑같이 방문하고 결과를 적어 주세요.",
        "입력: 방문일(YYYY-MM-DD) · 방문자 · 결과(목록에서 선택) · 연계서비스(해당 칸마다 O,"
        " 회색 칸 = 권장) · 메모. 나머지 칸은 보호됨. 자세한 안내는 '안내' 시트.",
    ),
    "en": (
        "● exploration: a household picked at random whatever its score (to find whom the model"
        " misses) — visit it like any other and record the result.",
        "Fill in: visit date (YYYY-MM-DD) · visited by · result (pick from the list) · services"
        " (O under each one linked; grey = suggested) · memo. Other cells are protected.",
    ),
}

# (term, Korean meaning, English meaning)
MARKS: tuple[tuple[str, str, str], ...] = (
    (
        "●",
        "탐색 가구: 점수와 관계없이 무작위로 뽑힌 가구입니다. 모델이 놓치는 가구를 찾기 위한 "
        "표본이므로 다른 가구와 똑같이 방문하고 결과를 적어 주세요.",
        "Exploration: picked at random whatever its score, so that the model learns about "
        "households it would miss. Visit it like any other and record the result.",
    ),
    (
        "방문일",
        "YYYY-MM-DD. 위기 확인·지원 불필요에는 꼭 적어 주세요.",
        "YYYY-MM-DD; needed for confirmed crisis and not in need.",
    ),
    ("방문자", "방문한 담당자 이름 (여럿이면 쉼표로 구분).", "Who visited (several: commas)."),
    ("결과", "목록에서 하나를 고르세요 (아래 표).", "Pick one from the list (table below)."),
    (
        "연계서비스 O",
        "연계한 서비스마다 그 칸에 O (여러 개 가능; ✓ 나 V 도 됩니다). 회색 칸은 선정 사유에 "
        "따른 권장 서비스입니다. 코드를 ; 로 구분해 적어도 됩니다 (예: food;repairs).",
        "O under each service linked (several allowed; ✓ or V also do). Grey cells are the "
        "services the reasons suggest. Codes typed as food;repairs are read too.",
    ),
    (
        "보호",
        "입력 칸(방문일, 방문자, 결과, 연계서비스, 메모) 외에는 잠겨 있습니다. 제목(1행)과 "
        "가구키는 결과를 돌려받을 때 쓰이므로 고치지 마세요. 암호는 없습니다 (검토 › 시트 보호 해제).",
        "Only the fill-in cells are unlocked: the title (row 1) and the household keys bring the "
        "results back. No password (Review › Unprotect Sheet).",
    ),
)


def legend(lang: str) -> tuple[str, ...]:
    """The legend lines printed above the table."""
    return LEGEND["en" if lang == "en" else "ko"]


def guide_rows(lang: str) -> list[tuple[str, str, bool]]:
    """The 안내 sheet as (term, meaning, is a heading) rows, with the result and service codes."""
    en = lang == "en"
    rows = [("Mark" if en else "표시", "Meaning" if en else "뜻", True)]
    rows += [(term, en_text if en else ko_text, False) for term, ko_text, en_text in MARKS]
    rows += [
        ("", "", False),
        ("Result" if en else "결과", "stored code" if en else "저장 코드", True),
    ]
    rows += [(names[1] if en else names[0], code, False) for code, names in OUTCOME_NAMES.items()]
    rows += [("", "", False), ("Service" if en else "연계서비스", "code" if en else "코드", True)]
    rows += [(code if en else name, code, False) for code, name in SERVICES.items()]
    return rows


def write_guide(workbook: Workbook, lang: str) -> None:
    """The 안내 sheet: what every mark on the visit sheet means, results and services by code."""
    ws = workbook.add_worksheet(GUIDE_TITLE)
    bold = workbook.add_format({"bold": True})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
    title = "About the visit sheet" if lang == "en" else "방문 대상 시트 안내"
    ws.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    ws.set_column(0, 0, 16)
    ws.set_column(1, 1, 90)
    for row, (term, meaning, heading) in enumerate(guide_rows(lang), start=2):
        ws.write_string(row, 0, term, bold if heading else wrapped)
        ws.write_string(row, 1, meaning, bold if heading else wrapped)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
