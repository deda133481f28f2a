"""marts.leak_plausibility: each rule on hand-computed cases, then on the bundled sample leaks."""
import datetime as dt

import pandas as pd
import pytest
from tests.lib.costsheets.costsheet_truth import truth

from pipelines.lib.verification.coins import check_coins
from pipelines.lib.verification.hashrate import HASHRATE_TOLERANCE, check_hashrate
from pipelines.lib.verification.minable import check_consensus
from pipelines.lib.verification.period import check_period
from pipelines.lib.verification.plausibility import assess
from pipelines.lib.verification.power import POWER_COST_TOLERANCE, check_power_cost, server_overhead
from pipelines.lib.verification.totals import check_totals
from pipelines.lib.verification.verdicts import KEY, RESULT_COLUMNS, algorithm_name, fmt_hashrate, fmt_number, fmt_times
from pipelines.lib.verification.devices import same_device

D = dt.date
SPECS = pd.DataFrame([
    ("NVIDIA H100 SXM", "datacenter_gpu", "sha256d", 8e9, 700.0, "hashcat / 2"),
    ("NVIDIA A100", "datacenter_gpu", "ethash", 170e6, 200.0, "NiceHash"),
    ("Bitmain Antminer S21", "asic", "sha256d", 200e12, 3500.0, "Bitmain"),
    ("Bitmain Antminer E9 Pro", "asic", "etchash", 3.68e9, 2200.0, "2CryptoCalc"),
], columns=["device", "device_class", "algorithm", "hashrate_hs", "power_w", "source"])
CONSENSUS = pd.DataFrame([
    ("BTC", D(2009, 1, 3), None, "pow"),
    ("ETH", D(2015, 7, 30), D(2022, 9, 15), "pow"),
    ("ETH", D(2022, 9, 15), None, "pos"),
    ("ETC", D(2016, 7, 20), None, "pow"),
    ("KAS", D(2021, 11, 7), None, "pow"),
], columns=["coin", "valid_from", "valid_to", "consensus"])


def line(**values) -> dict:
    row = dict(document_id="doc", page=1, table_index=0, row_index=0, company="Acme", site="Site",
               period_start=D(2024, 1, 1), period_end=D(2024, 1, 10), device="H100 SXM", device_count=1000.0,
               utilization_share=0.0, idle_hours=240.0, power_kw=None, pue=None, electricity_price_native=None,
               currency="USD", electricity_usd_per_kwh=None, coin="BTC", algorithm="sha256d",
               claimed_hashrate_hs=None, claimed_hashrate_per_device_hs=None, claimed_coins_mined=None,
               claimed_revenue_native=None, claimed_opex_native=None, claimed_opex_usd=None, is_total_row=False)
    row.update(values)
    return row


def frame(*rows: dict) -> pd.DataFrame:
    out = pd.DataFrame(list(rows))
    for column in ["device_count", "utilization_share", "idle_hours", "power_kw", "pue", "electricity_price_native",
                   "electricity_usd_per_kwh", "claimed_hashrate_hs", "claimed_hashrate_per_device_hs",
                   "claimed_coins_mined", "claimed_revenue_native", "claimed_opex_native", "claimed_opex_usd"]:
        out[column] = out[column].astype(float)
    return out


def network(coin="BTC", start=D(2024, 1, 1), days=10, hashrate=1e20, issuance=900.0, fees=0.0) -> pd.DataFrame:
    dates = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame({"coin": coin, "date": dates, "hashrate_hs": hashrate, "block_reward_coins": None,
                         "blocks_per_day": None, "issuance_coins": issuance, "fees_coins": fees})


def one(result: pd.DataFrame) -> pd.Series:
    assert len(result) == 1, result
    return result.iloc[0]


# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("leak, spec, same", [
    ("H100 SXM", "NVIDIA H100 SXM", True),
    ("NVIDIA H100 SXM5 80GB", "NVIDIA H100 SXM", True),
    ("H100", "NVIDIA H100 SXM", True),
    ("H100 PCIe", "NVIDIA H100 SXM", False),
    ("A100 80GB", "NVIDIA A100", True),
    ("A100 40 GB", "NVIDIA A100", True),
    ("A100 80GB", "NVIDIA A40", False),
    ("H100 SXM", "NVIDIA A100", False),
    ("RTX 4090", "NVIDIA GeForce RTX 4090", True),
    ("RTX 3090", "NVIDIA GeForce RTX 4090", False),
    ("Antminer S19", "Bitmain Antminer S19 Pro", True),
    ("GPU", "NVIDIA A100", False),
])
def test_device_names_match_across_vendor_memory_and_form_factor(leak, spec, same):
    assert same_device(leak, spec) is same


def test_hashrates_read_as_people_write_them():
    assert fmt_hashrate(8e9) == "8 GH/s"
    assert fmt_hashrate(200e12) == "200 TH/s"
    assert fmt_hashrate(3500) == "3.5 kH/s"
    assert fmt_times(25_000) == "25,000 times too high"


# ---------------------------------------------------------------------------------------------
def test_hashrate_above_the_devices_published_figure_is_implausible():
    result = one(check_hashrate(frame(line(claimed_hashrate_per_device_hs=200e12)), SPECS))
    assert result["verdict"] == "implausible"
    assert result["expected_high"] == pytest.approx(8e9 * (1 + HASHRATE_TOLERANCE))
    assert ("The sheet claims 200 TH/s per H100 SXM on SHA-256d; the best published figure is about 8 GH/s, "
            "so the claim is 25,000 times too high.") == result["reason"]


def test_hashrate_per_device_is_derived_from_the_line_and_a_sound_figure_passes():
    result = one(check_hashrate(frame(line(claimed_hashrate_hs=8e12, device_count=1000)), SPECS))
    assert result["verdict"] == "plausible" and result["claimed_value"] == pytest.approx(8e9)


def test_etchash_is_checked_against_the_ethash_figure():
    ok = one(check_hashrate(frame(line(device="A100 80GB", coin="ETC", algorithm="etchash",
                                         claimed_hashrate_per_device_hs=170e6)), SPECS))
    assert ok["verdict"] == "plausible" and "Ethash figure" in ok["reason"]
    bad = one(check_hashrate(frame(line(device="A100 80GB", coin="ETC", algorithm="etchash",
                                          claimed_hashrate_per_device_hs=1e9)), SPECS))
    assert bad["verdict"] == "implausible"


def test_hashrate_without_a_figure_for_that_algorithm_is_unverifiable_not_guessed():
    result = one(check_hashrate(frame(line(coin="KAS", algorithm="kheavyhash",
                                             claimed_hashrate_per_device_hs=2e9)), SPECS))
    assert result["verdict"] == "unverifiable"
    assert "only published figures for H100 SXM are for SHA-256d" in result["reason"]
    # ... unless it beats the fastest machine of any kind on that algorithm
    faster = one(check_hashrate(frame(line(coin="ETC", algorithm="etchash",
                                             claimed_hashrate_per_device_hs=50e9)), SPECS))
    assert faster["verdict"] == "implausible" and "Antminer E9 Pro" in faster["reason"]


def test_hashrate_without_device_count_is_unverifiable():
    result = one(check_hashrate(frame(line(claimed_hashrate_hs=8e12, device_count=None)), SPECS))
    assert result["verdict"] == "unverifiable"


# ---------------------------------------------------------------------------------------------
def power_line(**values):
    # 100 kW x PUE 1.2 x 500 idle h x 0.10 USD/kWh = 6,000 USD
    base = dict(period_start=D(2024, 1, 1), period_end=D(2024, 1, 31), power_kw=100.0, pue=1.2,
                idle_hours=500.0, utilization_share=1 - 500 / 744, electricity_price_native=0.10,
                claimed_opex_native=6000.0)
    return line(**{**base, **values})


def test_power_cost_is_recomputed_from_power_pue_hours_and_price():
    ok = one(check_power_cost(frame(power_line()), SPECS))
    assert ok["verdict"] == "plausible"
    assert ok["expected_low"] == pytest.approx(6000 * (1 - POWER_COST_TOLERANCE))
    assert ok["expected_high"] == pytest.approx(6000 * (1 + POWER_COST_TOLERANCE))
    bad = one(check_power_cost(frame(power_line(claimed_opex_native=600.0)), SPECS))
    assert bad["verdict"] == "implausible" and "10 times too low" in bad["reason"]


def test_power_cost_accepts_both_readings_of_the_idle_hours():
    # printed idle hours 500, utilization says 744 x (1 - 0.5) = 372: both are legitimate readings
    result = one(check_power_cost(frame(power_line(utilization_share=0.5, claimed_opex_native=372 * 12.0)), SPECS))
    assert result["verdict"] == "plausible"
    assert result["expected_low"] == pytest.approx(372 * 12 * (1 - POWER_COST_TOLERANCE))
    assert result["expected_high"] == pytest.approx(500 * 12 * (1 + POWER_COST_TOLERANCE))


def test_power_cost_from_board_power_when_the_sheet_gives_none():
    # 1000 H100 x 700 W = 700 kW, x the server overhead range (1.0-1.82) at the wall; PUE 1, 100 h, 0.1 USD/kWh
    result = one(check_power_cost(frame(power_line(power_kw=None, pue=1.0, idle_hours=100.0, utilization_share=None,
                                                     claimed_opex_native=9000.0)), SPECS))
    assert result["verdict"] == "plausible"
    assert result["expected_low"] == pytest.approx(7000 * (1 - POWER_COST_TOLERANCE))
    assert result["expected_high"] == pytest.approx(7000 * server_overhead().high * (1 + POWER_COST_TOLERANCE))


def test_power_cost_without_pue_is_unverifiable():
    result = one(check_power_cost(frame(power_line(pue=None)), SPECS))
    assert result["verdict"] == "unverifiable" and "PUE" in result["reason"]


# ---------------------------------------------------------------------------------------------
def test_coins_follow_the_share_of_network_hashrate_and_issuance():
    # 1000 H100 x 8 GH/s = 8 TH/s of a 1e20 H/s network, 900 BTC a day, 10 days, always idle
    expected = 8e12 / 1e20 * 900 * 10
    ok = one(check_coins(frame(line(claimed_hashrate_per_device_hs=8e9, claimed_coins_mined=expected)),
                           SPECS, network(), CONSENSUS))
    assert ok["verdict"] == "plausible"
    # a steady network: no day-to-day variability, only half a unit of the printed 0.00072
    assert ok["expected_low"] == pytest.approx(expected - 0.000005)
    assert ok["expected_high"] == pytest.approx(expected + 0.000005)
    assert "the tolerance is 0.0% (3 standard deviations) plus 0.000005 BTC for the printed rounding" in ok["reason"]
    bad = one(check_coins(frame(line(claimed_hashrate_per_device_hs=8e9, claimed_coins_mined=expected * 10_000)),
                            SPECS, network(), CONSENSUS))
    assert bad["verdict"] == "implausible" and "times too high" in bad["reason"]


def test_coins_use_the_devices_known_hashrate_not_an_inflated_claim():
    # coins consistent with the claimed 200 TH/s per H100, but an H100 does 8 GH/s at best
    claimed = 200e12 * 1000 / 1e20 * 900 * 10
    result = one(check_coins(frame(line(claimed_hashrate_per_device_hs=200e12, claimed_coins_mined=claimed)),
                               SPECS, network(), CONSENSUS))
    assert result["verdict"] == "implausible"
    assert "not the sheet's 200 TH/s" in result["reason"]


def test_coins_scale_with_idle_share_and_missing_network_days_are_unverifiable():
    half = one(check_coins(frame(line(claimed_hashrate_per_device_hs=8e9, utilization_share=0.5, idle_hours=120.0,
                                        claimed_coins_mined=8e12 / 1e20 * 900 * 5)), SPECS, network(), CONSENSUS))
    assert half["verdict"] == "plausible"
    assert half["expected_high"] == pytest.approx(8e12 / 1e20 * 900 * 5 + 0.000005)
    missing = one(check_coins(frame(line(claimed_hashrate_per_device_hs=8e9, claimed_coins_mined=0.1)),
                                SPECS, network(days=7), CONSENSUS))
    assert missing["verdict"] == "unverifiable"
    assert "3 of those 10 days (2024-01-08 to 2024-01-10)" in missing["reason"]


def test_no_coins_can_be_mined_under_proof_of_stake():
    result = one(check_coins(frame(line(device="A100 80GB", coin="ETH", algorithm="ethash",
                                          claimed_hashrate_per_device_hs=170e6, claimed_coins_mined=100.0)),
                               SPECS, network(coin="ETH", days=0), CONSENSUS))
    assert result["verdict"] == "implausible"
    assert result["expected_high"] == 0


# ---------------------------------------------------------------------------------------------
def test_eth_after_the_merge_is_implausible_before_it_plausible():
    lines = frame(line(row_index=0, coin="ETH", period_start=D(2023, 1, 1), period_end=D(2023, 1, 31),
                       claimed_coins_mined=5.0),
                  line(row_index=1, coin="ETH", period_start=D(2022, 8, 1), period_end=D(2022, 8, 31)),
                  line(row_index=2, coin="ETH", period_start=D(2022, 9, 1), period_end=D(2022, 9, 30)),
                  line(row_index=3, coin="XYZ"),
                  line(row_index=4, coin="KAS", period_start=D(2021, 1, 1), period_end=D(2021, 1, 31)))
    result = check_consensus(lines, CONSENSUS).set_index("row_index")
    assert result.loc[0, "verdict"] == "implausible"
    assert result.loc[0, "reason"].startswith("ETH has been proof of stake since 2022-09-15; nothing can be mined "
                                              "after that date")
    assert result.loc[1, "verdict"] == "plausible"
    assert result.loc[2, "verdict"] == "plausible" and "only 14 of the 30 days" in result.loc[2, "reason"]
    assert result.loc[3, "verdict"] == "unverifiable"
    assert result.loc[4, "verdict"] == "implausible" and "did not exist before 2021-11-07" in result.loc[4, "reason"]


# ---------------------------------------------------------------------------------------------
def test_totals_against_the_sum_of_their_lines():
    lines = frame(line(row_index=0, device_count=10, claimed_opex_native=100.0),
                  line(row_index=1, device_count=20, claimed_opex_native=200.5),
                  line(row_index=2, device_count=30, claimed_opex_native=360.6, is_total_row=True, device=None,
                       coin=None))
    result = check_totals(lines).set_index("claim")
    assert result.loc["total_device_count", "verdict"] == "plausible"
    assert result.loc["total_power_cost", "verdict"] == "implausible"
    assert "20.0% higher than its lines" in result.loc["total_power_cost", "reason"]
    gap = frame(line(row_index=0, device_count=10), line(row_index=1, device_count=None),
                line(row_index=2, device_count=10, is_total_row=True))
    assert one(check_totals(gap))["verdict"] == "unverifiable"


def test_totals_of_another_table_do_not_mix():
    lines = frame(line(table_index=0, row_index=0, device_count=10), line(table_index=1, row_index=0, device_count=99),
                  line(table_index=0, row_index=1, device_count=10, is_total_row=True))
    assert one(check_totals(lines))["verdict"] == "plausible"


# ---------------------------------------------------------------------------------------------
def test_period_against_itself_the_day_the_file_surfaced_and_its_table():
    q1 = dict(period_start=D(2024, 1, 1), period_end=D(2024, 3, 31))
    lines = frame(line(row_index=0, period_start=D(2024, 2, 1), period_end=D(2024, 2, 29)),
                  line(row_index=1, period_start=D(2024, 3, 1), period_end=D(2024, 2, 1)),
                  line(row_index=2, period_start=D(2024, 4, 1), period_end=D(2024, 4, 30)),
                  line(row_index=3, period_start=None, period_end=None),
                  line(row_index=4, is_total_row=True, **q1))
    result = check_period(lines, pd.Series({"doc": D(2024, 12, 1)})).set_index("row_index")
    assert result.loc[0, "verdict"] == "plausible"
    assert result.loc[1, "verdict"] == "implausible" and "ends before it starts" in result.loc[1, "reason"]
    assert result.loc[2, "verdict"] == "implausible" and "outside its own table's period" in result.loc[2, "reason"]
    assert result.loc[3, "verdict"] == "unverifiable"
    assert result.loc[4, "verdict"] == "implausible"  # its table has a line outside it
    future = check_period(frame(line()), pd.Series({"doc": D(2024, 1, 5)}))
    assert one(future)["verdict"] == "implausible"


def test_assess_gives_one_row_per_line_and_claim():
    lines = frame(line(claimed_hashrate_per_device_hs=8e9, claimed_coins_mined=1.0, power_kw=1.0, pue=1.1,
                       electricity_price_native=0.1, claimed_opex_native=26.4))
    out = assess(lines, SPECS, network(), CONSENSUS, pd.Series({"doc": D(2025, 1, 1)}))
    assert sorted(out["claim"]) == ["coins_mined", "consensus", "hashrate", "period", "power_cost"]
    assert not out.duplicated(KEY).any()
    assert set(out["verdict"]) <= {"plausible", "implausible", "unverifiable"}
    assert list(out.columns) == RESULT_COLUMNS


# ---------------------------------------------------------------------------------------------
# The bundled sample leaks, through the whole pipeline (one run for this module).
PLANTED_RULES = {"h100_btc_profit": {"hashrate", "coins_mined"}, "eth_after_merge": {"consensus"},
                 "totals_mismatch": {"total_"}}


@pytest.fixture(scope="module")
def sample_verdicts(tmp_path_factory, extract_cache):
    from conftest import run_bundled

    run = run_bundled(tmp_path_factory, extract_cache, "plausibility")
    with __import__("duckdb").connect(str(run.warehouse), read_only=True) as con:
        verdicts = con.execute(
            "SELECT regexp_replace(d.path, '^cost_sheets/', '') AS file, p.* FROM marts.leak_plausibility p "
            "JOIN core.documents d USING (document_id) WHERE d.status = 'loaded' AND p.row_index IS NOT NULL").df()
    expected = truth()[["file", "table_index", "row_index", "planted_flag"]].astype({"table_index": int,
                                                                                    "row_index": int})
    return verdicts.merge(expected, on=["file", "table_index", "row_index"], how="left"), run


@pytest.mark.e2e
def test_every_planted_false_claim_is_flagged_by_its_rule(sample_verdicts):
    verdicts, _ = sample_verdicts
    assert len(verdicts) > 400
    assert verdicts["planted_flag"].notna().all(), "a verdict row with no line in the truth file"
    planted = truth()[truth()["planted_flag"] != ""]
    assert len(planted) >= 10
    for row in planted.itertuples():
        rows = verdicts[(verdicts["file"] == row.file) & (verdicts["table_index"] == int(row.table_index))
                        & (verdicts["row_index"] == int(row.row_index))]
        flagged = rows.loc[rows["verdict"] == "implausible", "claim"]
        rules = PLANTED_RULES[row.planted_flag]
        assert any(c in rules or c.startswith(tuple(r for r in rules if r.endswith("_"))) for c in flagged), \
            f"{row.file} table {row.table_index} row {row.row_index} ({row.planted_flag}): {rows[['claim', 'verdict', 'reason']].to_dict('records')}"
        reasons = rows.loc[rows["verdict"] == "implausible", "reason"]
        assert all(len(r) > 40 and any(ch.isdigit() for ch in r) for r in reasons)


@pytest.mark.e2e
def test_sound_lines_have_no_implausible_verdict(sample_verdicts):
    verdicts, _ = sample_verdicts
    sound = verdicts[verdicts["planted_flag"] == ""]
    assert len(sound) > 400
    wrong = sound[sound["verdict"] == "implausible"]
    assert wrong.empty, wrong[["file", "row_index", "claim", "reason"]].to_dict("records")
    assert (sound["verdict"] == "plausible").sum() > 300
    for claim in ["power_cost", "period", "total_device_count", "total_power_cost"]:
        rows = sound.loc[sound["claim"] == claim, "verdict"]
        assert len(rows), claim
        assert (rows == "plausible").all(), claim


# The sample's sound lines whose claims cannot be checked, and why: raw/network has no Ravencoin or
# Kaspa rows, and raw/hardware publishes the H100 only on SHA-256d and the A100 only on Ethash.
NO_NETWORK_DATA = {"RVN", "KAS"}
PUBLISHED = {"H100": ("SHA-256d", {"sha256d"}), "A100": ("Ethash", {"ethash", "etchash"})}
# An OCR misreading of a coin the scan prints (only with tesseract installed): the coin as read.
KNOWN_OCR_MISREADINGS = {"ETE": "ETC"}


def expected_unverifiable(lines: pd.DataFrame) -> dict:
    """(file, table, row, claim) -> the reason, for the sound truth lines in `lines`."""
    out = {}
    for r in lines.itertuples():
        key = (r.file, int(r.table_index), int(r.row_index))
        start, end = r.period_start, r.period_end
        days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
        if r.coin in NO_NETWORK_DATA and r.claimed_coins_mined:
            out[key + ("coins_mined",)] = (
                f"The sheet claims {fmt_number(float(r.claimed_coins_mined), 4)} {r.coin} mined from {start} to "
                f"{end}, but the network data lacks hashrate or issuance for {r.coin} on {days} of those {days} days "
                f"({start} to {end}), so the expected amount cannot be computed.")
        published, algorithms = PUBLISHED[r.device.split()[0]]
        if r.algorithm not in algorithms:
            algo = algorithm_name(r.algorithm)
            out[key + ("hashrate",)] = (
                f"The sheet claims {fmt_hashrate(float(r.claimed_hashrate_per_device_hs))} per {r.device} on "
                f"{algo}; the only published figures for {r.device} are for {published}, none for {algo}, so the "
                "claim cannot be checked.")
    return out


@pytest.mark.e2e
def test_exactly_the_lines_lacking_an_input_are_unverifiable_each_with_its_reason(sample_verdicts):
    verdicts, _ = sample_verdicts
    lines = truth()
    lines = lines[(lines["planted_flag"] == "") & (lines["is_total_row"] == "false")
                  & lines["file"].isin(set(verdicts["file"]))]
    expected = expected_unverifiable(lines)
    assert len(expected) >= 100
    unverifiable = verdicts[verdicts["verdict"] == "unverifiable"]
    got = {(r.file, int(r.table_index), int(r.row_index), r.claim): r for r in unverifiable.itertuples()}
    # printed text: exactly these claims, each with exactly this reason
    ocr = set(lines.loc[lines["extraction"] == "ocr", "file"])
    assert {k for k in got if k[0] not in ocr} == {k for k in expected if k[0] not in ocr}
    for key, reason in expected.items():
        if key[0] not in ocr:
            assert got[key].reason == reason, key
    # a scan read by OCR (with tesseract installed): the same claims, but a misread coin is its own
    # unknown coin (no consensus, network data or algorithm) and a misread figure changes the reason
    misread = {k for k, r in got.items() if k[0] in ocr and r.coin in KNOWN_OCR_MISREADINGS}
    for key in misread:
        assert got[key].claim in {"consensus", "coins_mined", "hashrate"}, got[key].reason
    assert {k for k in got if k[0] in ocr} - misread == {k for k in expected if k[0] in ocr} - misread


@pytest.mark.e2e
def test_the_checks_read_the_assumptions_file_of_the_setting(sample_verdicts, tmp_path):
    """LEAKPIPE_ASSUMPTIONS reaches the asset through the model_assumptions resource, not os.environ: a
    broken file there stops the checks (the sample's sheets all give their power, so the overhead's value
    shows in no verdict; the unit tests in test_wall_power show it does in the band)."""
    import dagster as dg
    from test_wall_power import with_range

    from pipelines.defs.verification.assets import leak_plausibility
    from pipelines.resources import ModelAssumptionsResource, WarehouseResource

    _, run = sample_verdicts
    broken = tmp_path / "assumptions.toml"
    broken.write_text(with_range("server_overhead", low=2.0, central=1.3, high=1.4))
    warehouse = WarehouseResource(path=str(run.warehouse))
    outcomes = {}
    for setting in (str(broken), ""):
        result = dg.materialize([leak_plausibility], instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                                resources={"warehouse": warehouse,
                                           "model_assumptions": ModelAssumptionsResource(path=setting)})
        failure = next((e for e in result.all_events if e.is_step_failure), None)
        outcomes[setting] = (result.success, failure.event_specific_data.error.to_string() if failure else "")
    assert outcomes[""] == (True, "")
    assert outcomes[str(broken)][0] is False and "server_overhead" in outcomes[str(broken)][1]


@pytest.mark.e2e
def test_every_leaked_file_gets_its_metadata_claims_and_every_document_a_metadata_row(sample_verdicts):
    """The document-level claims (line columns NULL) on the bundled sheets: their ReportLab files are dated
    2000-01-01 (reportlab's invariant mode), long before the periods they report, and ReportLab is not in the
    producer table; the scan is an image with no text layer."""
    _, run = sample_verdicts
    assert run.query("SELECT count(*) FROM core.document_metadata")[0][0] == run.query(
        "SELECT count(DISTINCT document_id) FROM core.document_inventory WHERE document_id IS NOT NULL")[0][0]
    rows = run.query(
        "SELECT regexp_replace(d.path, '^cost_sheets/', ''), p.claim, p.verdict, p.reason FROM marts.leak_plausibility p "
        "JOIN core.documents d USING (document_id) WHERE p.claim LIKE 'metadata_%' AND d.duplicate_of IS NULL")
    assert all(r[0] for r in rows) and rows
    got = {(f, c): (v, reason) for f, c, v, reason in rows}
    sheets = {f for f, _ in got}
    assert {"de_kostenrechnung_q1_2024.pdf", "scan_standort_dublin.pdf", "cost_sheet_2024.xlsx"} <= sheets
    assert run.query("SELECT count(*) FROM marts.leak_plausibility WHERE claim LIKE 'metadata_%' "
                     "AND (page IS NOT NULL OR table_index IS NOT NULL OR row_index IS NOT NULL)")[0][0] == 0
    verdict, reason = got[("de_kostenrechnung_q1_2024.pdf", "metadata_period")]
    assert verdict == "unverifiable" and "last written on 2000-01-01" in reason and "2024-03-31" in reason
    assert got[("de_kostenrechnung_q1_2024.pdf", "metadata_dates")][0] == "plausible"
    assert got[("de_kostenrechnung_q1_2024.pdf", "metadata_producer")][0] == "unverifiable"
    assert got[("scan_standort_dublin.pdf", "metadata_text_layer")][0] == "plausible"
    assert not any(v == "implausible" for v, _ in got.values()), got
    assert all(len(reason) > 40 for _, reason in got.values())


@pytest.mark.e2e
def test_a_rerun_changes_no_verdict(sample_verdicts):
    verdicts, run = sample_verdicts
    before = sorted(map(repr, run.query("SELECT * FROM marts.leak_plausibility")))
    run.run()
    assert sorted(map(repr, run.query("SELECT * FROM marts.leak_plausibility"))) == before
    assert len(before) == len(verdicts) + run.query(
        "SELECT count(*) FROM marts.leak_plausibility WHERE row_index IS NULL")[0][0]
