"""How a frame predicate combines with the CAMEO code of its complement.

"agreed to meet" = intent(040) -> 036; "threatened to impose sanctions" = threat(163) -> 1312;
"refused to withdraw" = refuse(0874) -> 1246; "urged X to release" = appeal(0841) -> 0253.
The tables follow the parallel structure of the CAMEO codebook: 03 (intent) mirrors 04-08,
13 (threaten) mirrors 14-20, 12 (reject) / 10 (demand) / 02 (appeal) mirror 03-08. A complement
whose family has no twin falls back to the frame's base code.
"""
from __future__ import annotations

__all__ = ["intent", "threat", "refuse", "demand", "appeal", "compose", "is_cooperative"]

# cooperative action (04-08) -> express intent (03x)
_INTENT = {
    "040": "036", "041": "036", "042": "036", "043": "036", "044": "036", "045": "039",
    "046": "036", "05": "032", "050": "032", "051": "032", "052": "032", "053": "032",
    "054": "032", "055": "032", "056": "032", "057": "030",
    "06": "031", "060": "031", "061": "0311", "062": "0312", "063": "0313", "064": "0314",
    "07": "033", "070": "033", "071": "0331", "072": "0332", "073": "0333", "074": "0334",
    "075": "033",
    "08": "035", "080": "035", "081": "0351", "0811": "0351", "0812": "0351", "0813": "0351",
    "0814": "0351", "082": "0352", "083": "034", "0831": "0341", "0832": "0342", "0833": "0343",
    "0834": "0344", "084": "0353", "0841": "0353", "0842": "0353", "085": "0354", "086": "0355",
    "0861": "0355", "0862": "0355", "0863": "0355", "087": "0356", "0871": "0356",
    "0872": "0356", "0873": "0356", "0874": "0356",
}
# conflictual action (14-20) -> threaten (13x)
_THREAT = {
    "14": "133", "16": "131", "160": "131", "161": "1313", "162": "1311", "1621": "1311",
    "1622": "1311", "1623": "1311", "163": "1312", "164": "134", "165": "135", "166": "136",
    "1661": "136", "1662": "136", "1663": "136", "17": "130", "172": "132", "1721": "1321",
    "1722": "1322", "1723": "1323", "1724": "1324", "175": "137", "18": "1383", "19": "138",
    "190": "1384", "191": "1381", "192": "1382", "20": "1385", "15": "138",
}
# cooperative action -> reject / decline (12x)
_REFUSE = {
    "03": "120", "036": "125", "037": "127", "038": "126", "04": "125", "045": "126",
    "05": "120", "06": "121", "061": "1211", "062": "1212", "063": "1213", "064": "1214",
    "07": "122", "071": "1221", "072": "1222", "073": "1223", "074": "1224", "075": "122",
    "08": "124", "081": "1241", "0811": "1241", "0812": "1241", "0813": "1241", "0814": "1241",
    "082": "1242", "083": "123", "0831": "1231", "0832": "1232", "0833": "1233",
    "0834": "1234", "084": "1243", "0841": "1243", "0842": "1243", "085": "1244",
    "086": "1245", "0861": "1245", "0862": "1245", "0863": "1245", "087": "1246",
    "0871": "1246", "0872": "1246", "0873": "1246", "0874": "1246",
}
# requested action -> demand (10x); appeals (02x) use the same table with prefix 02
_DEMAND = {
    "03": "100", "036": "106", "037": "107", "038": "108", "039": "108", "04": "106",
    "045": "108", "05": "102", "06": "101", "061": "1011", "062": "1012", "063": "1013",
    "064": "1014", "07": "103", "071": "1031", "072": "1032", "073": "1033", "074": "1034",
    "075": "103", "08": "105", "081": "1051", "0811": "1051", "0812": "1051", "0813": "1051",
    "0814": "1051", "082": "1052", "083": "104", "0831": "1041", "0832": "1042",
    "0833": "1043", "0834": "1044", "084": "1053", "0841": "1053", "0842": "1053",
    "085": "1054", "086": "1055", "0861": "1055", "0862": "1055", "0863": "1055",
    "087": "1056", "0871": "1056", "0872": "1056", "0873": "1056", "0874": "1056",
    "166": "1055", "1661": "1055", "1662": "1055", "1663": "1055",
}


def _lookup(table: dict[str, str], code: str) -> str | None:
    """Exact code, then its parents (0874 -> 087 -> 08)."""
    c = code
    while c:
        if c in table:
            return table[c]
        c = c[:-1] if len(c) > 2 else ""
    return None


def is_cooperative(code: str) -> bool:
    return 3 <= int(code[:2]) <= 8


def intent(code: str) -> str:
    """Stated intent to do ``code``: 03x for cooperation, 13x for conflict (a vow to fight is a
    threat); verbal codes (01, 02, 09-13) are kept as they are."""
    root = int(code[:2])
    if 3 <= root <= 8:
        return _lookup(_INTENT, code) or "030"
    if root >= 14:
        return _lookup(_THREAT, code) or "130"
    return code


def threat(code: str) -> str:
    root = int(code[:2])
    if root >= 14:
        return _lookup(_THREAT, code) or "130"
    return "130" if root != 13 else code


def refuse(code: str) -> str:
    root = int(code[:2])
    if 3 <= root <= 8:
        return _lookup(_REFUSE, code) or "120"
    if root == 10 or root == 2:
        return "120"  # refusing to demand is rare; keep plain reject
    return "120"


def demand(code: str) -> str:
    return _lookup(_DEMAND, code) or "100"


def appeal(code: str) -> str:
    c = _lookup(_DEMAND, code) or "100"
    return "02" + c[2:]


def compose(frame: str, code: str) -> str | None:
    """The code of ``frame`` applied to a complement coded ``code``; None when not a code frame."""
    fn = {"intent": intent, "threat": threat, "refuse": refuse, "demand": demand,
          "appeal": appeal}.get(frame)
    return fn(code) if fn else None
