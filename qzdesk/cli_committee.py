"""`qzdesk units|coverage|cadres|appraisal …`: the committee's year from the command line:
the register and its coverage, the cadre database with its analysis, the 年终考评."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from qzdesk.vocabulary import CadreNature, FourHas, Grade, OrgForm, Sector, UnitChange


def _choices(kind: Any) -> dict[str, Any]:
    return {
        "choices": [k.value for k in kind],
        "help": "；".join(f"{k.value}：{k.label}" for k in kind),
    }


def add_parser(
    sub: Any, common: argparse.ArgumentParser, run: Callable[..., int], ask: Callable[..., int]
) -> None:
    units = sub.add_parser("units", parents=[common], help="团组织名录：应建团组织的单位及其变动")
    ops = units.add_subparsers(dest="units_command", metavar="操作", required=True)
    add = ops.add_parser("add", parents=[common], help="列入名录（可一次多个名称）")
    add.add_argument("names", nargs="+", metavar="名称")
    add.add_argument("--sector", required=True, **_choices(Sector))
    add.add_argument("--township", default="", metavar="乡镇或街道")
    add.add_argument("--on", type=date.fromisoformat, required=True, metavar="列入日期")
    add.add_argument("--youth", type=int, metavar="青年人数")
    add.add_argument("--members", type=int, metavar="团员人数（无台账时）")
    add.set_defaults(handler=lambda a, p: run(a, p, _add))
    change = ops.add_parser("change", parents=[common], help="登记变动：建立、调整、撤销、撤并")
    change.add_argument("name", metavar="单位名称")
    change.add_argument(
        "--change", required=True, **_choices([c for c in UnitChange if c is not UnitChange.LISTED])
    )
    change.add_argument("--on", type=date.fromisoformat, required=True, metavar="日期")
    change.add_argument("--form", **_choices(OrgForm))
    change.add_argument("--org", default="", metavar="团组织名称（与其台账一致）")
    change.add_argument("--note", default="", metavar="说明")
    change.set_defaults(handler=lambda a, p: run(a, p, _change))
    check = ops.add_parser("check", parents=[common], help="登记四有检查")
    check.add_argument("name", metavar="单位名称")
    check.add_argument("--on", type=date.fromisoformat, required=True, metavar="检查日期")
    check.add_argument("--met", nargs="*", default=[], **_choices(FourHas))
    check.add_argument("--not-met", nargs="*", default=[], **_choices(FourHas))
    check.set_defaults(handler=lambda a, p: run(a, p, _check))
    coverage = sub.add_parser("coverage", parents=[common], help="某期间的团组织覆盖情况")
    coverage.add_argument("--period", required=True, metavar="2026、2026Q1 或 2026-03")
    coverage.add_argument("--xlsx", type=Path, metavar="覆盖情况.xlsx")
    coverage.set_defaults(handler=lambda a, p: ask(a, p, _coverage))
    cadres = sub.add_parser("cadres", parents=[common], help="团干部信息库与队伍分析")
    c_ops = cadres.add_subparsers(dest="cadres_command", metavar="操作", required=True)
    file = c_ops.add_parser("file", parents=[common], help="登记团干部的性质、任现职年月等")
    file.add_argument("--id-number", required=True, metavar="身份证号")
    file.add_argument("--name", required=True, metavar="姓名")
    file.add_argument("--nature", **_choices(CadreNature))
    file.add_argument("--since", metavar="任现职年月 2024-03")
    file.add_argument("--party-committee", choices=["yes", "no"], help="是否同级党组织成员")
    file.add_argument("--establishment", default="", metavar="编制")
    file.add_argument("--phone", default="", metavar="联系电话")
    file.set_defaults(handler=lambda a, p: run(a, p, _file))
    training = c_ops.add_parser("training", parents=[common], help="登记一次培训")
    training.add_argument("--id-number", required=True, metavar="身份证号")
    training.add_argument("--name", required=True, metavar="姓名")
    training.add_argument("--on", type=date.fromisoformat, required=True, metavar="日期")
    training.add_argument("--training", required=True, metavar="培训名称")
    training.add_argument("--hours", type=float, metavar="学时")
    training.set_defaults(handler=lambda a, p: run(a, p, _training))
    explain = c_ops.add_parser("explain", parents=[common], help="说明某指标较上期下降的原因")
    explain.add_argument("--period", required=True, metavar="期间")
    explain.add_argument("--figure", required=True, metavar="指标（total、secretaries …）")
    explain.add_argument("--text", required=True, metavar="原因")
    explain.set_defaults(handler=lambda a, p: run(a, p, _explain))
    analysis = c_ops.add_parser("analysis", parents=[common], help="某期间的团干部队伍分析")
    analysis.add_argument("--period", required=True, metavar="期间")
    analysis.set_defaults(handler=lambda a, p: ask(a, p, _analysis))
    appraisal = sub.add_parser("appraisal", parents=[common], help="团干部年终考评")
    a_ops = appraisal.add_subparsers(dest="appraisal_command", metavar="操作", required=True)
    record = a_ops.add_parser("record", parents=[common], help="登记一名团干部的年度考评")
    record.add_argument("--id-number", required=True, metavar="身份证号")
    record.add_argument("--name", required=True, metavar="姓名")
    record.add_argument("--year", type=int, required=True, metavar="年度")
    record.add_argument("--report-on", type=date.fromisoformat, metavar="述职日期")
    record.add_argument("--report", default="", metavar="述职要点")
    record.add_argument("--party-grade", **_choices(Grade))
    for grade in Grade:
        record.add_argument(f"--{grade.value}", type=int, default=0, metavar=f"“{grade.label}”票数")
    record.set_defaults(handler=lambda a, p: run(a, p, _record))
    results = a_ops.add_parser("results", parents=[common], help="某年度的考评结果")
    results.add_argument("--year", type=int, required=True, metavar="年度")
    results.add_argument("--pdf", type=Path, metavar="考评结果.pdf")
    results.set_defaults(handler=lambda a, p: ask(a, p, _results))


def _unit_id(ctx: Any, name: str) -> int:
    from qzdesk.services.committee import register
    from qzdesk.services.errors import ValidationError

    found = [s.id for s in register.units_on(ctx, date.max) if s.name == name.strip()]
    if not found:
        raise ValidationError(f"名录中没有“{name}”。", "name")
    return found[0]


def _add(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import register

    made = register.add_units(
        ctx, args.names, Sector(args.sector), args.on, args.township, args.youth, args.members
    ).value
    return f"已列入名录 {len(made)} 个单位。", {"units": made}


def _change(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import register

    change = UnitChange(args.change)
    form = OrgForm(args.form) if args.form else None
    row = register.record_change(
        ctx, _unit_id(ctx, args.name), change, args.on, form, args.org, args.note
    ).value
    return f"已登记：{args.name} {args.on:%Y-%m-%d} {change.label}。", {"event": row}


def _check(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import register

    results = {FourHas(v): True for v in args.met} | {FourHas(v): False for v in args.not_met}
    register.check_four_has(ctx, _unit_id(ctx, args.name), args.on, results)
    return f"已登记 {args.name} 的四有检查。", {"items": {k.value: v for k, v in results.items()}}


def _coverage(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee.coverage import coverage
    from qzdesk.services.periods import parse_period

    cov = coverage(ctx, parse_period(args.period))
    rate = "—" if cov.village_rate is None else f"{cov.village_rate:.1%}"
    growth = "—" if cov.growth is None else f"{cov.growth:.1%}"
    lines = [
        f"{cov.period.label}：村级团组织 {cov.villages_with_org}/{cov.villages}（{rate}，"
        f"目标 {cov.village_target:.0%}）；三新领域 {cov.new_fields_year_before} → "
        f"{cov.new_fields_now}（增幅 {growth}，目标 {cov.growth_target:.0%}）。",
    ]
    if cov.villages_without:
        lines.append(f"尚未建立团组织的村：{'、'.join(cov.villages_without)}")
    if cov.hollow:
        lines.append("空心团支部：" + "、".join(f"{n}（{m} 人）" for n, m in cov.hollow))
    if args.xlsx:
        from qzdesk.export.summary_excel import write_coverage

        write_coverage(args.xlsx, cov)
        lines.append(f"已导出到 {args.xlsx}")
    payload = {
        "villages": cov.villages,
        "villages_with_org": cov.villages_with_org,
        "villages_without": list(cov.villages_without),
        "new_fields_now": cov.new_fields_now,
        "new_fields_year_before": cov.new_fields_year_before,
        "growth": cov.growth,
        "growth_target_met": cov.growth_target_met,
        "hollow": [{"org": n, "members": m} for n, m in cov.hollow],
    }
    return "\n".join(lines), payload


def _file(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.cli_dues import month
    from qzdesk.services.committee import cadres

    row = cadres.set_file(
        ctx,
        args.id_number,
        args.name,
        CadreNature(args.nature) if args.nature else None,
        month(args.since) if args.since else None,
        {"yes": True, "no": False, None: None}[args.party_committee],
        args.establishment,
        args.phone,
    ).value
    return f"已登记 {args.name} 的团干部信息。", {"cadre": row}


def _training(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import cadres

    row = cadres.add_training(
        ctx, args.id_number, args.name, args.on, args.training, args.hours
    ).value
    return f"已登记 {args.name} 参加“{args.training}”。", {"training": row}


def _explain(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import cadres
    from qzdesk.services.periods import parse_period

    cadres.explain_fall(ctx, parse_period(args.period), args.figure, args.text)
    return "已登记下降原因。", {"figure": args.figure}


def _analysis(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import cadres
    from qzdesk.services.periods import parse_period

    found = cadres.analysis(ctx, parse_period(args.period))

    def counted(pairs: tuple[tuple[str, int], ...]) -> str:
        return "、".join(f"{label} {n}" for label, n in pairs) or "—"

    lines = [
        f"团干部 {found.watched['total']} 人（书记 {found.watched['secretaries']} 人），平均年龄 "
        + ("未填" if found.average_age is None else f"{found.average_age} 岁"),
        f"年龄：{counted(found.ages)}；性别：{counted(found.genders)}；专兼挂：{counted(found.natures)}",
        *(
            f"较上期下降：{f.label} {f.before}→{f.now}（{f.explanation or '尚未说明'}）"
            for f in found.falls
        ),
    ]
    payload = {
        "watched": found.watched,
        "average_age": found.average_age,
        "falls": [
            {"figure": f.figure, "before": f.before, "now": f.now, "explanation": f.explanation}
            for f in found.falls
        ],
    }
    return "\n".join(lines), payload


def _record(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import appraisal

    votes = {g: getattr(args, g.value) for g in Grade}
    party = Grade(args.party_grade) if args.party_grade else None
    appraisal.record(
        ctx, args.id_number, args.name, args.year, args.report_on, args.report, party, votes
    )
    return f"已登记 {args.name} {args.year} 年度考评。", {"year": args.year}


def _results(ctx: Any, args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    from qzdesk.services.committee import appraisal

    found = appraisal.results(ctx, args.year)
    lines = [
        f"{r.name}（{r.org} {r.post}）：{r.result_text}"
        + ("" if r.score is None else f" {r.score:.1f} 分")
        for r in found
    ]
    if args.pdf:
        from qzdesk.export.pdf.appraisal import appraisal_pdf
        from qzdesk.services.files import write_atomically

        pdf = appraisal_pdf(
            ctx.overview.root.name, args.year, found, ctx.profile.committee, ctx.now
        )
        write_atomically(args.pdf, pdf)
        lines.append(f"考评结果和个人考评表已写入 {args.pdf}")
    payload = {
        "results": [
            {"name": r.name, "score": r.score, "result": r.result.value if r.result else None}
            for r in found
        ]
    }
    return "\n".join(lines) or f"{args.year} 年度没有团干部。", payload
