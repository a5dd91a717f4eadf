"""The portal's currencies: crm.currency.list / get / base.get / fields — shapes, the
base currency, rates as AMOUNT per AMOUNT_CNT, localisation, rights, costs
(next-features.md §C.2 "Currency"; DOCS crm/currency/crm-currency-{list,get,base-get,fields}.md;
spec/planning.md "Ranks": value × AMOUNT / AMOUNT_CNT)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from plansim import ADMIN, GONE, MANAGER, NO_CRM, call, error, portal, result

LIST_KEYS = {"CURRENCY", "AMOUNT_CNT", "AMOUNT", "SORT", "BASE", "FULL_NAME", "LID", "FORMAT_STRING", "DEC_POINT",
             "THOUSANDS_SEP", "DECIMALS", "DATE_UPDATE"}


def test_the_list_gives_every_currency_once_with_the_base_marked():  # C.2; DOCS crm-currency-list.md
    p = portal()
    reply = call(p, "crm.currency.list")
    assert reply.status == 200
    rows = reply.body["result"]
    assert [r["CURRENCY"] for r in rows] == ["RUB", "USD", "EUR", "KZT", "BYN", "CNY"]     # by SORT
    assert all(set(r) == LIST_KEYS for r in rows)
    assert [r["BASE"] for r in rows] == ["Y", "N", "N", "N", "N", "N"]
    usd = rows[1]
    assert (usd["AMOUNT"], usd["AMOUNT_CNT"], usd["SORT"], usd["DECIMALS"]) == ("90.5000", "1", "200", "2")
    assert (usd["FULL_NAME"], usd["LID"], usd["DEC_POINT"]) == ("Доллар США", "ru", ",")
    assert usd["THOUSANDS_SEP"] == "&nbsp;"
    assert usd["DATE_UPDATE"] == "2026-11-20T09:00:00+03:00"
    assert all(isinstance(v, str) for r in rows for k, v in r.items() if k != "THOUSANDS_SEP")   # legacy strings
    assert reply.body["total"] == 0 and "next" not in reply.body        # "Currently always has a value of 0"


def test_a_rate_is_amount_per_amount_cnt_units():  # C.2 "AMOUNT_CNT is the nominal value for which this rate is…"
    rows = {r["CURRENCY"]: r for r in result(portal(), "crm.currency.list")}
    per_unit = {c: Decimal(r["AMOUNT"]) / Decimal(r["AMOUNT_CNT"]) for c, r in rows.items()}
    assert per_unit["RUB"] == 1
    assert Decimal(250) * per_unit["USD"] == Decimal("22625")                 # 250 USD in roubles
    assert rows["KZT"]["AMOUNT_CNT"] == "100" and Decimal(50000) * per_unit["KZT"] == Decimal("9450")


def test_an_english_portal_has_its_own_base_and_names():  # the base follows the portal's language
    rows = result(portal(lang="en"), "crm.currency.list")
    base = [r for r in rows if r["BASE"] == "Y"]
    assert [r["CURRENCY"] for r in base] == ["USD"] and base[0]["AMOUNT"] == "1.0000"
    eur = next(r for r in rows if r["CURRENCY"] == "EUR")
    assert (eur["FULL_NAME"], eur["LID"], eur["FORMAT_STRING"], eur["DEC_POINT"]) == ("Euro", "en", "€#", ".")
    assert next(r for r in rows if r["CURRENCY"] == "JPY")["AMOUNT_CNT"] == "100"


def test_the_order_parameter_sorts_by_any_field_in_either_case():  # DOCS: order {"sort":"asc","currency":"asc"}
    p = portal()
    assert [r["CURRENCY"] for r in result(p, "crm.currency.list", {"order": {"currency": "asc"}})] == \
        ["BYN", "CNY", "EUR", "KZT", "RUB", "USD"]
    assert [r["CURRENCY"] for r in result(p, "crm.currency.list", {"order": {"SORT": "DESC"}})][0] == "CNY"
    assert error(call(p, "crm.currency.list", {"order": "SORT"})) == (400, "", "Parameter 'order' must be array.")


def test_get_adds_every_language_and_refuses_unknown_codes():  # DOCS crm-currency-get.md
    p = portal()
    usd = result(p, "crm.currency.get", {"id": "usd"})
    assert usd["CURRENCY"] == "USD" and usd["BASE"] == "N" and usd["AMOUNT"] == "90.5000"
    assert set(usd["LANG"]) == {"ru", "en"}
    assert usd["LANG"]["en"] == {"FORMAT_STRING": "$#", "FULL_NAME": "US Dollar", "DEC_POINT": ".",
                                 "THOUSANDS_SEP": None, "DECIMALS": "2", "THOUSANDS_VARIANT": "C", "HIDE_ZERO": "Y"}
    assert error(call(p, "crm.currency.get", {"id": "XYZ"})) == (400, "", "Not found")
    assert error(call(p, "crm.currency.get", {})) == (400, "", "ID is not defined or invalid.")


def test_base_get_and_fields():  # DOCS crm-currency-base-get.md, crm-currency-fields.md
    p = portal()
    assert result(p, "crm.currency.base.get") == "RUB"
    assert result(portal(lang="en"), "crm.currency.base.get", user=NO_CRM) == "USD"      # "any user"
    fields = result(p, "crm.currency.fields")
    assert fields["AMOUNT"]["type"] == "double" and fields["AMOUNT_CNT"]["type"] == "int"
    assert fields["BASE"]["isReadOnly"] is True and fields["LANG"]["isMultiple"] is True


@pytest.mark.parametrize("user", [ADMIN, MANAGER, GONE])
def test_any_user_with_crm_access_reads_them(user):  # CORE: CONFIG READ "is always true" behind IsAccessEnabled
    p = portal()
    assert len(result(p, "crm.currency.list", user=user)) == 6
    assert result(p, "crm.currency.get", {"id": "EUR"}, user=user)["CURRENCY"] == "EUR"


def test_a_user_without_crm_is_refused():  # DOCS error "Access denied." (HTTP 400, empty code)
    p = portal()
    for method, params in (("crm.currency.list", {}), ("crm.currency.get", {"id": "USD"}), ("crm.currency.fields", {})):
        assert error(call(p, method, params, NO_CRM)) == (400, "", "Access denied.")


def test_costs_one_uncounted_page_and_one_get():  # spec/portal-sim.md cost model
    p = portal()
    listed = call(p, "crm.currency.list")
    assert listed.body["time"]["processing"] == pytest.approx(p.costs.list_page(None))
    got = call(p, "crm.currency.get", {"id": "USD"})
    assert got.body["time"]["processing"] == pytest.approx(p.costs.get_s)
    assert listed.seconds == pytest.approx(p.costs.list_page(None) + p.costs.network_rtt_s)


def test_a_snapshot_without_currencies_gets_its_languages_default_set():  # every portal has its base currency
    assert result(portal(currencies=False), "crm.currency.base.get") == "RUB"
    rows = result(portal(currencies=False, lang="en"), "crm.currency.list")
    assert [r["CURRENCY"] for r in rows if r["BASE"] == "Y"] == ["USD"] and len(rows) == 6
    assert all(r["DATE_UPDATE"] is None for r in rows)


def test_in_a_batch_and_over_the_app_s_own_reader():  # REF §3: any method runs as a batch command
    p = portal()
    reply = call(p, "batch", {"halt": 0, "cmd": {"rates": "crm.currency.list", "usd": "crm.currency.get?id=USD"}})
    body = reply.body["result"]
    assert len(body["result"]["rates"]) == 6 and body["result"]["usd"]["AMOUNT"] == "90.5000"
    assert body["result_error"] == [] and body["result_total"] == {"rates": 0}
