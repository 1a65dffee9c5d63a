"""The admission documents read back as text."""

from __future__ import annotations

from datetime import date, datetime

from qzdesk.export.pdf.registry import render_document
from qzdesk.services.admission import applicants, ledger, publicity
from qzdesk.services.admission.stages import Step
from qzdesk.services.periods import parse_period
from tests.admission_helpers import TODAY, new_applicant
from tests.desks import desk_at, desk_of
from tests.export.test_documents import pdf_text

NOW = datetime(2026, 11, 24, 9, 30)
YEAR_2025 = parse_period("2025")


def test_a_publicity_notice_masks_ids_and_states_the_period(store, profiles, tmp_path):
    a = new_applicant(store, profiles, name="王小明")
    desk_of(store, profiles).write(
        applicants.record_step, a.id, Step.TALK, date(2025, 3, 10), today=TODAY
    )
    desk_of(store, profiles).write(
        applicants.record_step, a.id, Step.ACTIVIST, date(2025, 3, 20), today=TODAY
    )
    notice = (
        desk_of(store, profiles)
        .write(
            publicity.create_publicity,
            "activist",
            [a.id],
            date(2025, 9, 29),
            "团委 王老师 0938-1234567",
        )
        .value
    )
    pdf = desk_at(store, NOW).read(
        render_document, "publicity", YEAR_2025, "QZ-2025-0001", publicity_id=notice.id
    )
    text = "".join(pdf_text(pdf, tmp_path))
    assert "关于入团积极分子的公示" in text and "王小明" in text
    assert "2025年09月29日至2025年10月11日（5 个工作日）" in text
    assert a.id_number not in text and publicity.mask_id(a.id_number) in text
    assert "团委 王老师 0938-1234567" in text


def test_the_points_record_lists_reversals_and_the_chain_head(store, profiles, tmp_path):
    from qzdesk.services.clock import FixedClock, running_on

    a = new_applicant(store, profiles, name="赵晓雨")
    with running_on(FixedClock.on(date(2025, 4, 1))):  # recorded in 2025, as dated
        entry = (
            desk_of(store, profiles)
            .write(ledger.post_entry, a.id, "labour", date(2025, 4, 1), today=TODAY)
            .value
        )
    with running_on(FixedClock.on(date(2025, 4, 2))):
        desk_of(store, profiles).write(
            ledger.reverse_entry, entry.id, "重复录入", today=date(2025, 4, 2)
        )
    pdf = desk_at(store, NOW).read(
        render_document, "points_record", YEAR_2025, "QZ-2025-0001", applicant_id=a.id
    )
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert "赵晓雨" in text and f"冲销第 {entry.id} 条" in text and "重复录入" in text
    assert "已冲销" in text and "待审核" in text
    # The chain as it stood at the period's end, shortened; the full value is in the data.
    end = desk_of(store).read(ledger.anchors, YEAR_2025.bounds(datetime.now().astimezone())[1])[
        "entries"
    ]
    assert f"积分记录 {end['count']} 条，{end['head'][:16]}…" in text
