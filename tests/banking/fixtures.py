"""Statement files the project makes itself, one writer per format, from the same lines.

Amounts in cents, positive = money in. Each writer produces what the bank's export
looks like (columns, separators, notation), so parsers are tested on known content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Line:
    day: date
    cents: int
    iban: str
    name: str
    text: str
    eref: str = ""


ACCOUNT = "NL91ABNA0417164300"
LINES = (
    Line(
        date(2026, 3, 2),
        12_500,
        "NL02RABO0123456789",
        "Sportclub De Ster",
        "Zaalhuur maart",
        "F2026-014",
    ),
    Line(date(2026, 3, 3), -4_599, "NL44INGB0001234567", "Energie BV", "Voorschot stroom"),
    Line(date(2026, 3, 3), -250, "", "Koffiebar", "Koffie"),
    Line(date(2026, 3, 3), -250, "", "Koffiebar", "Koffie"),
    Line(
        date(2026, 3, 5),
        100_000,
        "NL18ABNA0484869868",
        "Gemeente Utrecht",
        "Subsidie 2026 termijn 1",
    ),
)
OPENING = 50_000
LINES_2026 = LINES


def closing(lines: tuple[Line, ...] = LINES, opening: int = OPENING) -> int:
    return opening + sum(line.cents for line in lines)


def _eur(cents: int, decimal: str = ",") -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}{decimal}{abs(cents) % 100:02d}"


def camt053(
    lines: tuple[Line, ...] = LINES,
    *,
    version: str = "02",
    account: str = ACCOUNT,
    opening: int = OPENING,
    closing_cents: int | None = None,
) -> bytes:
    close = closing(lines, opening) if closing_cents is None else closing_cents
    status = "<Sts><Cd>BOOK</Cd></Sts>" if version == "08" else "<Sts>BOOK</Sts>"

    def bal(code: str, cents: int, day: date) -> str:
        ind = "DBIT" if cents < 0 else "CRDT"
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(cents) / 100:.2f}</Amt><CdtDbtInd>{ind}</CdtDbtInd>'
            f"<Dt><Dt>{day.isoformat()}</Dt></Dt></Bal>"
        )

    def party(line: Line) -> str:
        role = "Dbtr" if line.cents > 0 else "Cdtr"
        name = f"<Pty><Nm>{line.name}</Nm></Pty>" if version == "08" else f"<Nm>{line.name}</Nm>"
        acct = f"<{role}Acct><Id><IBAN>{line.iban}</IBAN></Id></{role}Acct>" if line.iban else ""
        return f"<RltdPties><{role}>{name}</{role}>{acct}</RltdPties>"

    entries = "".join(
        f'<Ntry><Amt Ccy="EUR">{abs(line.cents) / 100:.2f}</Amt>'
        f"<CdtDbtInd>{'DBIT' if line.cents < 0 else 'CRDT'}</CdtDbtInd>{status}"
        f"<BookgDt><Dt>{line.day.isoformat()}</Dt></BookgDt><ValDt><Dt>{line.day.isoformat()}</Dt></ValDt>"
        f"<BkTxCd><Prtry><Cd>100</Cd><Issr>ABNA</Issr></Prtry></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{line.eref or 'NOTPROVIDED'}</EndToEndId></Refs>"
        + (
            f'<Amt Ccy="EUR">{abs(line.cents) / 100:.2f}</Amt>'
            f"<CdtDbtInd>{'DBIT' if line.cents < 0 else 'CRDT'}</CdtDbtInd>"
            if version == "04"
            else ""
        )
        + f"{party(line)}<RmtInf><Ustrd>{line.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for line in lines
    )
    first, last = lines[0].day, lines[-1].day
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">'
        "<BkToCstmrStmt><GrpHdr><MsgId>WIJK-1</MsgId><CreDtTm>2026-03-06T08:00:00</CreDtTm></GrpHdr>"
        f"<Stmt><Id>WIJK-STMT-1</Id><CreDtTm>2026-03-06T08:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>"
        f"{bal('OPBD', opening, first)}{bal('CLBD', close, last)}{entries}</Stmt>"
        "</BkToCstmrStmt></Document>"
    ).encode()


def mt940(
    lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT, opening: int = OPENING
) -> bytes:
    def bal(tag: str, cents: int, day: date) -> str:
        return f":{tag}:{'D' if cents < 0 else 'C'}{day:%y%m%d}EUR{_eur(abs(cents))}\n"

    body = "".join(
        f":61:{line.day:%y%m%d}{line.day:%m%d}{'D' if line.cents < 0 else 'C'}"
        f"{_eur(abs(line.cents))}NTRFNONREF\n"
        f":86:/EREF/{line.eref or 'NOTPROVIDED'}/IBAN/{line.iban}/BIC//NAME/{line.name}"
        f"/REMI/USTD//{line.text}/\n"
        for line in lines
    )
    return (
        f":20:WIJK\n:25:{account}\n:28C:1\n"
        + bal("60F", opening, lines[0].day)
        + body
        + bal("62F", closing(lines, opening), lines[-1].day)
        + "-\n"
    ).encode()


def ing_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    """ING's current export: semicolons, newest first, balance after each line."""
    rows = [
        '"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";"Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag"'
    ]
    balance = OPENING
    out = []
    for line in lines:
        balance += line.cents
        out.append(
            f'"{line.day:%Y%m%d}";"{line.name}";"{account}";"{line.iban}";"OV";'
            f'"{"Af" if line.cents < 0 else "Bij"}";"{_eur(abs(line.cents))}";"Overschrijving";'
            f'"Omschrijving: {line.text} IBAN: {line.iban} Kenmerk: {line.eref or "-"}";"{_eur(balance)}";""'
        )
    return "\n".join(rows + out[::-1]).encode()


def ing_old_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    rows = [
        '"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)","MutatieSoort","Mededelingen"'
    ]
    for line in lines:
        rows.append(
            f'"{line.day:%Y%m%d}","{line.name}","{account}","{line.iban}","GT",'
            f'"{"Af" if line.cents < 0 else "Bij"}","{_eur(abs(line.cents))}","Online bankieren","{line.text}"'
        )
    return "\n".join(rows).encode()


def rabobank_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    header = '"IBAN/BBAN","Munt","BIC","Volgnr","Datum","Rentedatum","Bedrag","Saldo na trn","Tegenrekening IBAN/BBAN","Naam tegenpartij","Naam uiteindelijke partij","Naam initiërende partij","BIC tegenpartij","Code","Batch ID","Transactiereferentie","Machtigingskenmerk","Incassant ID","Betalingskenmerk","Omschrijving-1","Omschrijving-2","Omschrijving-3","Reden retour","Oorspr bedrag","Oorspr munt","Koers"'
    rows = [header]
    balance = OPENING
    for number, line in enumerate(lines, start=1):
        balance += line.cents
        amount = ("+" if line.cents >= 0 else "") + _eur(line.cents)
        rows.append(
            f'"{account}","EUR","RABONL2U","{number:018d}","{line.day:%Y-%m-%d}","{line.day:%Y-%m-%d}",'
            f'"{amount}","{"+" if balance >= 0 else ""}{_eur(balance)}","{line.iban}","{line.name}","","","","tb","",'
            f'"{line.eref}","","","","{line.text}","","","","","",""'
        )
    return "\n".join(rows).encode("utf-8")


def abn_amro_tab(lines: tuple[Line, ...] = LINES, *, account: str = "417164300") -> bytes:
    rows = []
    balance = OPENING
    for line in lines:
        before, balance = balance, balance + line.cents
        text = f"/TRTP/SEPA OVERBOEKING/IBAN/{line.iban}/BIC/X/NAME/{line.name}/REMI/{line.text}/EREF/{line.eref or 'NOTPROVIDED'}"
        rows.append(
            f"{account}\tEUR\t{line.day:%Y%m%d}\t{_eur(before)}\t{_eur(balance)}\t{line.day:%Y%m%d}\t{_eur(line.cents)}\t{text}"
        )
    return "\n".join(rows).encode()


def triodos_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    return "\n".join(
        f'"{line.day:%d-%m-%Y}","{account}","{_eur(abs(line.cents))}","{"Debet" if line.cents < 0 else "Credit"}","{line.name}","{line.iban}","IC","{line.text}"'
        for line in lines
    ).encode()


def asn_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    rows = []
    balance = OPENING
    for number, line in enumerate(lines, start=1):
        rows.append(
            f"{line.day:%d-%m-%Y},{account},{line.iban},{line.name},,,,EUR,{_eur(balance, '.')},EUR,"
            f"{_eur(line.cents, '.')},{line.day:%d-%m-%Y},{line.day:%d-%m-%Y},8810,IOB,{number},,'{line.text}',1"
        )
        balance += line.cents
    return "\n".join(rows).encode()


def knab_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    rows = [
        '"Rekeningnummer";"Transactiedatum";"Valutacode";"CreditDebet";"Bedrag";"Tegenrekeningnummer";"Tegenrekeninghouder";"Valutadatum";"Betaalwijze";"Omschrijving";"Type betaling";"Machtigingsnummer";"Incassant ID";"Adres";"Referentie";"Boekdatum"'
    ]
    for number, line in enumerate(lines, start=1):
        rows.append(
            f'"{account}";"{line.day:%d-%m-%Y}";"EUR";"{"D" if line.cents < 0 else "C"}";"{_eur(abs(line.cents))}";'
            f'"{line.iban}";"{line.name}";"{line.day:%d-%m-%Y}";"Overboeking";"{line.text}";"";"";"";"";"K{number}";"{line.day:%d-%m-%Y}"'
        )
    return "\n".join(rows).encode()


def bunq_csv(lines: tuple[Line, ...] = LINES, *, account: str = ACCOUNT) -> bytes:
    rows = ['"Date";"Interest Date";"Amount";"Account";"Counterparty";"Name";"Description"']
    for line in lines:
        rows.append(
            f'"{line.day:%Y-%m-%d}";"{line.day:%Y-%m-%d}";"{_eur(line.cents)}";"{account}";"{line.iban}";"{line.name}";"{line.text}"'
        )
    return "\n".join(rows).encode()


CSV_WRITERS = {
    "csv_ing": ing_csv,
    "csv_rabobank": rabobank_csv,
    "csv_abn_amro": abn_amro_tab,
    "csv_triodos": triodos_csv,
    "csv_asn": asn_csv,
    "csv_knab": knab_csv,
    "csv_bunq": bunq_csv,
}
