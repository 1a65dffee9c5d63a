"""`qzdesk party …`: 推优入党 from the command line: who may be recommended, the Party
application day, the proposal, each later step, and the 推荐表 as a PDF."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from qzdesk.services.errors import QzdeskError


def add_parser(sub: Any, common: argparse.ArgumentParser, run: Callable[..., int]) -> None:
    from qzdesk.services.party.steps import PartyAnswer, PartyStep

    party = sub.add_parser("party", parents=[common], help="推优入党：资格、推荐步骤、推荐表")
    ops = party.add_subparsers(dest="party_command", metavar="操作", required=True)
    eligible = ops.add_parser("eligible", parents=[common], help="列出可推荐的团员和不可推荐的原因")
    eligible.add_argument("--on", type=date.fromisoformat, metavar="日期（默认今天）")
    eligible.set_defaults(handler=lambda a, p: run(a, p, _eligible))
    applied = ops.add_parser("apply", parents=[common], help="登记递交入党申请书的日期")
    applied.add_argument("--member", required=True, metavar="身份证号")
    applied.add_argument("--on", type=date.fromisoformat, required=True, metavar="递交日期")
    applied.set_defaults(handler=lambda a, p: run(a, p, _apply))
    propose = ops.add_parser("propose", parents=[common], help="支委会提出推荐人选")
    propose.add_argument("--member", required=True, metavar="身份证号")
    propose.add_argument("--on", type=date.fromisoformat, required=True, metavar="日期")
    propose.set_defaults(handler=lambda a, p: run(a, p, _propose))
    step = ops.add_parser("step", parents=[common], help="登记推荐的下一步")
    step.add_argument("--member", required=True, metavar="身份证号")
    step.add_argument(
        "--step",
        required=True,
        choices=[s.value for s in PartyStep if s is not PartyStep.PROPOSED],
        help="；".join(f"{s.value}：{s.label}" for s in PartyStep),
    )
    step.add_argument("--on", type=date.fromisoformat, required=True, metavar="日期")
    for name in ("expected", "present", "for", "against", "abstain"):
        step.add_argument(f"--{name}", type=int, metavar="人数", help="团员大会表决（vote）")
    step.add_argument(
        "--answer",
        choices=[a.value for a in PartyAnswer],
        help="；".join(f"{a.value}：{a.label}" for a in PartyAnswer),
    )
    step.add_argument("--reason", help="终止推荐的原因；或公示期间反映问题的核实结果")
    step.add_argument("--objections", help="公示期间反映的问题")
    step.set_defaults(handler=lambda a, p: run(a, p, _step))
    form = ops.add_parser("form", parents=[common], help="导出推荐表 PDF（一式三份）")
    form.add_argument("--member", required=True, metavar="身份证号")
    form.add_argument("--out", type=Path, metavar="FILE.pdf")
    form.set_defaults(handler=lambda a, p: run(a, p, _form))


def _eligible(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.party.recommend import eligibility

    found = eligibility(ctx, args.on)
    lines = [
        f"{e.branch} {e.name}：" + ("可以推荐" if e.eligible else "；".join(e.reasons))
        for e in found
    ]
    payload = {
        "members": [
            {
                "member_id": e.member_id,
                "name": e.name,
                "eligible": e.eligible,
                "reasons": list(e.reasons),
            }
            for e in found
        ]
    }
    return "\n".join(lines) or "没有在册团员。", payload


def _member(ctx: Any, args: argparse.Namespace) -> int:
    from qzdesk.services.members import records

    return records.member_with_id_number(ctx, args.member)


def _open_recommendation(ctx: Any, member_id: int) -> int:
    from qzdesk.services.party.recommend import recommendations

    found = [v for v in recommendations(ctx) if v.member_id == member_id and not v.withdrawn]
    if not found:
        raise QzdeskError("这名团员没有进行中的推优记录：请先用 party propose 提出推荐。")
    return found[-1].id


def _apply(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.party.recommend import record_application

    member_id = _member(ctx, args)
    record_application(ctx, member_id, args.on)
    return f"已登记：{args.on:%Y-%m-%d} 递交入党申请书。", {"member_id": member_id}


def _propose(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.party.recommend import propose

    rec = propose(ctx, _member(ctx, args), args.on).value
    return f"已登记支委会提出推荐（推优记录 {rec}）。", {"recommendation": rec}


def _step(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.party.recommend import recommendation, record_step
    from qzdesk.services.party.steps import PartyStep

    rec = _open_recommendation(ctx, _member(ctx, args))
    step = PartyStep(args.step)
    details: dict[str, Any] = {}
    if step is PartyStep.VOTE:
        details = {
            n: getattr(args, n) for n in ("expected", "present", "for", "against", "abstain")
        }
    elif step is PartyStep.ANSWER:
        details = {"answer": args.answer}
    elif step is PartyStep.WITHDRAWN:
        details = {"reason": args.reason or ""}
    elif step is PartyStep.PUBLICITY:
        details = {"objections": args.objections or ""}
    elif step is PartyStep.APPROVED and args.reason:
        details = {"objections_resolved": args.reason}
    record_step(ctx, rec, step, args.on, details)
    view = recommendation(ctx, rec)
    return f"已登记“{step.label}”。{view.name}：{view.state}", {"state": view.state}


def _form(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.export.pdf.party_form import recommendation_pdf
    from qzdesk.services.files import write_atomically
    from qzdesk.services.party.recommend import form

    made = form(ctx, _open_recommendation(ctx, _member(ctx, args)))
    target = args.out or Path.cwd() / f"推荐表-{made.member['name']}.pdf"
    write_atomically(target, recommendation_pdf(made))
    return f"推荐表（一式三份）已写入 {target}", {"file": str(target)}
