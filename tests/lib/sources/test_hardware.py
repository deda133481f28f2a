"""The hardware reader: long (one row per metric), wide (one column per algorithm) and row layouts, each
hashrate with its source and kind; on the shared real files and on small synthetic ones."""
import datetime as dt

import pytest

from pipelines.lib.sources.hardware import SOURCE_KINDS, parse_hardware_file
from tests.conftest import SHARED_DATA

TODAY = dt.date(2026, 11, 26)
SPECS = SHARED_DATA / "hardware_specs_compiled" / "hardware_specs.csv"
BENCHMARKS = SHARED_DATA / "gpu_mining_benchmarks" / "gpu_hashrate_benchmarks.csv"
LONG_HEADER = "device,device_class,form_factor,metric,value,unit,algorithm,source,source_url_or_path,notes\n"


def _real(path):
    if not path.is_file():
        pytest.skip(f"real data not found at {path} (set LEAKPIPE_SHARED_DATA to the shared data folder)")
    return parse_hardware_file(path, TODAY)


def test_long_layout_one_row_per_metric(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG_HEADER +
                    "NVIDIA H100,datacenter GPU,SXM5 80GB,max_power_tdp,700,W,,vendor page,,\n"
                    "NVIDIA H100,datacenter GPU,PCIe 80GB,max_power_tdp,350,W,,product brief,,\n"
                    "NVIDIA H100,datacenter GPU,SXM5 80GB HBM3,est_bitcoin_sha256d_hashrate,~8,GH/s,SHA-256d (Bitcoin),"
                    "derived from the hashcat rate,,\n"
                    "Bitmain Antminer S21,SHA-256 ASIC,air,hashrate,200,TH/s,SHA-256d,Bitmain spec,,\n"
                    "Bitmain Antminer S21,SHA-256 ASIC,air,efficiency,17.5,J/TH,SHA-256d,Bitmain spec,,\n"
                    "Bitmain Antminer S19 XP,SHA-256 ASIC,air,hashrate_power,140 TH/s @ 3010 W (21.5 J/TH),,SHA-256d,"
                    "asics-tools asicWattList.ts,,\n"
                    "NVIDIA H100,datacenter GPU,SXM5,hashcat_sha2_256_rate,16165.9,MH/s,SHA-256 (single hash),hashcat,,\n"
                    "NVIDIA H200,datacenter GPU,SXM5 141GB,max_power_tdp,700,W,,vendor page,,\n")
    parsed = parse_hardware_file(path, TODAY)
    assert parsed.error is None
    rows = parsed.rows.set_index("device")
    assert set(rows.index) == {"NVIDIA H100 SXM5", "Bitmain Antminer S21", "Bitmain Antminer S19 XP"}
    h100 = rows.loc["NVIDIA H100 SXM5"]
    # the SXM5 TDP, not the PCIe one; '~8' GH/s read as 8e9; the hashcat rate is not a mining hashrate
    assert (h100["algorithm"], h100["hashrate_hs"], h100["power_w"], h100["source_kind"]) == \
        ("sha256d", pytest.approx(8e9), 700.0, "derived")
    assert rows.loc["Bitmain Antminer S21", "power_w"] == pytest.approx(3500.0)   # 17.5 J/TH x 200 TH/s
    assert rows.loc["Bitmain Antminer S21", "source_kind"] == "spec"
    assert (rows.loc["Bitmain Antminer S19 XP", "hashrate_hs"], rows.loc["Bitmain Antminer S19 XP", "power_w"]) == \
        (pytest.approx(140e12), 3010.0)
    reasons = {r.locator: (r.check_name, r.reason) for r in parsed.rejected}
    assert set(reasons) == {"line 3", "line 8", "line 9"}      # PCIe TDP, hashcat rate, H200 TDP
    assert "hashcat_sha2_256_rate" in reasons["line 8"][1] and "not a mining hashrate" in reasons["line 8"][1]
    assert "no hashrate row" in reasons["line 9"][1]


def test_wide_layout_one_column_per_algorithm(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("device,device_class,etchash_mhs,kawpow_mhs,randomx_hashrate_khs,power_w,source,source_kind\n"
                    "RTX 4090,consumer GPU,127,65,3.4,450,2CryptoCalc gpu.json,calculator_default\n"
                    "CMP 170HX,mining GPU (GA100),160,,0.95,250,2CryptoCalc,calculator_default\n")
    parsed = parse_hardware_file(path, TODAY)
    got = {(r.device, r.algorithm): (r.hashrate_hs, r.device_class, r.source_kind) for r in parsed.rows.itertuples()}
    assert got == {("RTX 4090", "etchash"): (pytest.approx(127e6), "consumer_gpu", "calculator_default"),
                   ("RTX 4090", "kawpow"): (pytest.approx(65e6), "consumer_gpu", "calculator_default"),
                   ("RTX 4090", "randomx"): (pytest.approx(3.4e3), "consumer_gpu", "calculator_default"),
                   ("CMP 170HX", "etchash"): (pytest.approx(160e6), "mining_gpu", "calculator_default"),
                   ("CMP 170HX", "randomx"): (pytest.approx(950.0), "mining_gpu", "calculator_default")}
    assert parsed.rejected == []


def test_malformed_hardware_rows_are_quarantined_with_a_reason(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("device,device_class,algorithm,hashrate,unit,power_w,value_kind,source\n"
                    "A100,datacenter GPU,Ethash,170,MH/s,~328 (nvidia-smi),user-reported measurement,aws log\n"
                    "B,datacenter GPU,Ethash,fast,MH/s,300,press report,x\n"
                    "C,datacenter GPU,Ethash,100,furlongs,300,press report,x\n"
                    "D,datacenter GPU,Ethash,100,MH/s,lots,press report,x\n"
                    "E,datacenter GPU,Ethash,100,MH/s,300,press report,x,an unquoted, comma\n")
    parsed = parse_hardware_file(path, TODAY)
    assert list(parsed.rows["device"]) == ["A100"]
    assert parsed.rows.iloc[0]["power_w"] == 328.0 and parsed.rows.iloc[0]["source_kind"] == "user_log"
    got = {r.locator: r.check_name for r in parsed.rejected}
    assert got == {"line 3": "hardware_specs.unparseable_number", "line 4": "hardware_specs.unknown_unit",
                   "line 5": "hardware_specs.unparseable_number", "line 6": "hardware_specs.malformed_row"}
    assert all(r.reason for r in parsed.rejected)


def test_an_unknown_source_kind_is_quarantined(tmp_path):
    path = tmp_path / "kinds.csv"
    path.write_text("device,device_class,algorithm,hashrate_mhs,power_w,source,source_kind\n"
                    "A100,datacenter GPU,Ethash,170,200,aws log,user_log\nB,datacenter GPU,Ethash,1,2,x,rumour\n")
    parsed = parse_hardware_file(path, TODAY)
    assert list(parsed.rows["source_kind"]) == ["user_log"]
    assert [(r.check_name, "rumour" in r.reason) for r in parsed.rejected] == \
        [("hardware_specs.unknown_source_kind", True)]


def test_a_long_file_without_metric_rows_it_can_use_is_not_silently_empty(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG_HEADER + "NVIDIA H200,datacenter GPU,SXM5,max_power_tdp,700,W,,x,,\n")
    parsed = parse_hardware_file(path, TODAY)
    assert parsed.rows.empty and [r.check_name for r in parsed.rejected] == ["hardware_specs.not_a_device_hashrate"]


def test_an_unknown_header_names_the_layouts(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,speed\nA,1\n")
    parsed = parse_hardware_file(path, TODAY)
    assert parsed.error and "one row per metric" in parsed.error


@pytest.mark.realdata
def test_real_long_hardware_specs_load():
    parsed = _real(SPECS)
    assert parsed.error is None
    assert len(parsed.rows) == 17
    rows = parsed.rows.set_index(["device", "algorithm"])
    h100 = rows.loc[("NVIDIA H100 SXM5", "sha256d")]
    assert (h100["hashrate_hs"], h100["power_w"], h100["source_kind"]) == (pytest.approx(8e9), 700.0, "derived")
    assert rows.loc[("NVIDIA A100", "ethash"), "hashrate_hs"] == pytest.approx(170e6)
    assert rows.loc[("NVIDIA A100", "ethash"), "source_kind"] == "calculator_default"
    assert rows.loc[("Bitmain Antminer S21", "sha256d"), "power_w"] == pytest.approx(3500)
    assert rows.loc[("NVIDIA CMP 170HX", "etchash"), "device_class"] == "mining_gpu"
    # 7 TDP/efficiency rows of devices without a hashrate row, the hashcat rate, 2 CBECI efficiencies
    assert len(parsed.rejected) == 10
    assert {r.check_name for r in parsed.rejected} == {"hardware_specs.not_a_device_hashrate"}


@pytest.mark.realdata
def test_real_benchmarks_load_with_source_and_kind():
    parsed = _real(BENCHMARKS)
    assert parsed.error is None and parsed.rejected == []
    rows = parsed.rows
    assert len(rows) == 76
    assert set(rows["source_kind"]) <= set(SOURCE_KINDS) and "unspecified" not in set(rows["source_kind"])
    assert rows["source"].str.len().min() > 10
    kinds = rows.groupby("source_kind").size().to_dict()
    assert kinds == {"calculator_default": 70, "press": 2, "user_log": 3, "vendor_doc": 1}
    a100 = rows[rows["device"] == "NVIDIA A100-SXM4-40GB"].iloc[0]
    assert (a100["algorithm"], a100["hashrate_hs"], a100["power_w"], a100["source_kind"], a100["source_date"]) == \
        ("ethash", pytest.approx(170e6), 328.0, "user_log", "2021-04-14")
    assert "aws-ethereum-miner" in a100["source"]
    cmp = rows[rows["device"].str.contains("CMP 170HX")]
    got = {}
    for r in cmp.itertuples():
        got.setdefault((r.algorithm, r.source_kind), []).append(r.hashrate_hs)
    assert got[("etchash", "calculator_default")] == [pytest.approx(160e6)]
    assert got[("kawpow", "calculator_default")] == [pytest.approx(55e6)]
    assert got[("kheavyhash", "calculator_default")] == [pytest.approx(0.63e9)]
    assert got[("randomx", "calculator_default")] == [pytest.approx(950.0)]
    assert sorted(got[("ethash", "press")]) == [pytest.approx(164e6), pytest.approx(170e6)]
    assert set(rows["algorithm"]) == {"ethash", "etchash", "kawpow", "kheavyhash", "autolykos2", "randomx"}
