#!/usr/bin/env python3
"""Checks Mosaic's interchange exports with the formats' own libraries (docs/interop.md).

    scripts/interop-check [--workspace DIR]      # creates .venv-interop, installs the peers, runs this

or, with followthemoney, stix2, stix2-validator and networkx installed:

    python3 scripts/interop-check.py ftm FILE.jsonl [STATEMENTS.csv]
    python3 scripts/interop-check.py stix BUNDLE.json
    python3 scripts/interop-check.py gexf FILE.gexf GRAPHML_FILE
    python3 scripts/interop-check.py same-ftm A.jsonl B.jsonl [WHAT]
    python3 scripts/interop-check.py airports FTM_EXPORT.jsonl   (of a workspace that imported airportsdata's CSV)

Exits 1 with every problem listed when a check fails. Needs network only to install the
packages (scripts/test runs scripts/interop-check after the Swift tests).
"""
import csv
import json
import sys


def fail(problems, what):
    if problems:
        for p in problems[:50]:
            print(f"  {p}")
        print(f"{what}: {len(problems)} problem(s)")
        sys.exit(1)


def check_ftm(path, statements=None):
    from followthemoney import model
    from followthemoney.types import registry

    problems = []
    entities = {}
    with open(path, encoding="utf-8") as f:
        lines = [json.loads(l) for l in f if l.strip()]
    ids = {e["id"] for e in lines}
    for n, data in enumerate(lines, 1):
        schema = model.get(data.get("schema"))
        if schema is None:
            problems.append(f"line {n}: unknown schema {data.get('schema')!r}")
            continue
        if schema.abstract:
            problems.append(f"line {n}: abstract schema {schema.name}")
        for name, values in data.get("properties", {}).items():
            prop = schema.get(name)
            if prop is None:
                problems.append(f"line {n}: {schema.name} has no property {name!r}")
                continue
            if not isinstance(values, list):
                problems.append(f"line {n}: {name} is not a list")
                continue
            for v in values:
                if prop.type == registry.entity:
                    if v not in ids:
                        problems.append(f"line {n}: {name} -> {v!r} is not in the file")
                    continue
                cleaned = prop.type.clean(v, proxy=None)
                if cleaned is None:
                    problems.append(f"line {n}: {schema.name}.{name} rejects {v!r} ({prop.type.name})")
        if schema.edge:
            for end in (schema.edge_source, schema.edge_target):
                if not data.get("properties", {}).get(end):
                    problems.append(f"line {n}: edge {schema.name} without {end}")
        # The library's own parse (as `ftm validate` does) must keep every value.
        proxy = model.get_proxy(data, cleaned=False)
        proxy2 = model.get_proxy(proxy.to_dict(), cleaned=True)
        for prop, value in proxy.itervalues():
            if value not in proxy2.get(prop):
                problems.append(f"line {n}: the library drops {prop.name}={value!r}")
        entities[data["id"]] = data
    fail(problems, "ftm")
    print(f"ftm: {len(lines)} entities valid against followthemoney's model")

    if statements:
        from followthemoney.statement import Statement

        rebuilt = {}
        with open(statements, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                stmt = Statement.from_dict(row)
                if stmt.prop == "id":
                    rebuilt.setdefault(stmt.entity_id, {"schema": stmt.schema, "properties": {}})
                    continue
                e = rebuilt.setdefault(stmt.entity_id, {"schema": stmt.schema, "properties": {}})
                e["properties"].setdefault(stmt.prop, set()).add(stmt.value)
                key = Statement.make_key(stmt.dataset, stmt.entity_id, stmt.prop, stmt.value, False)
                if key != row["id"]:
                    problems.append(f"statement {row['id']}: id is not FtM's key ({key})")
        for eid, data in entities.items():
            got = rebuilt.get(eid)
            want = {k: set(v) for k, v in data["properties"].items()}
            if got is None or got["schema"] != data["schema"] or got["properties"] != want:
                problems.append(f"statements of {eid} do not rebuild the entity")
        if set(rebuilt) != set(entities):
            problems.append("the statements name other entities than the entity file")
        fail(problems, "ftm-statements")
        print(f"ftm-statements: rebuild the {len(entities)} entities; statement ids are FtM's keys")


def check_stix(path):
    import stix2
    from stix2validator import validate_file, print_results

    results = validate_file(path)
    if not results.is_valid:
        print_results(results)
        sys.exit(1)
    warnings = [w for r in results.object_results for w in r.warnings]
    bundle = stix2.parse(open(path, encoding="utf-8").read(), allow_custom=True)
    ids = {o.id for o in bundle.objects}
    problems = []
    for o in bundle.objects:
        for key in ("source_ref", "target_ref", "sighting_of_ref", "created_by_ref"):
            if key in o and o[key] not in ids:
                problems.append(f"{o.id}: {key} {o[key]} is not in the bundle")
        for key in ("object_refs", "where_sighted_refs"):
            for ref in o.get(key, []):
                if ref not in ids:
                    problems.append(f"{o.id}: {key} names {ref}, not in the bundle")
    fail(problems, "stix")
    print(f"stix: {len(bundle.objects)} objects; stix2-validator: valid ({len(warnings)} warnings); "
          f"stix2 parses the bundle; every reference resolves")


def check_gexf(path, graphml=None):
    import networkx as nx

    g = nx.read_gexf(path)
    print(f"gexf: networkx reads {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")
    if graphml:
        h = nx.read_graphml(graphml)
        print(f"graphml: networkx reads {h.number_of_nodes()} nodes, {h.number_of_edges()} edges")
        if (g.number_of_nodes(), g.number_of_edges()) != (h.number_of_nodes(), h.number_of_edges()):
            print("gexf and graphml counts differ")
            sys.exit(1)


def write_ftm(path):
    """An FtM file made by the followthemoney library: people, a company, a public body,
    an address, an airplane, an event, an article, and edges between them."""
    from followthemoney import model

    def make(schema, id, **props):
        e = model.make_entity(schema)
        e.id = id
        for k, v in props.items():
            e.add(k, v)
        return e

    es = [
        make("Person", "p-ivanov", name="Ivan Ivanov", alias=["I. Ivanov"], birthDate="1970-05", nationality="ru",
             position="Director"),
        make("Company", "c-avia", name="Avia Cargo LLC", jurisdiction="ru", registrationNumber="1027700000000"),
        make("PublicBody", "pb-mod", name="Ministry of Defence"),
        make("Address", "a-hmeimim", full="Hmeimim, Latakia, Syria", country="sy", latitude="35.4", longitude="35.95"),
        make("Airplane", "ap-1", name="RA-82000", registrationNumber="RA-82000", model="An-124", operator="c-avia"),
        make("Article", "art-1", title="Flights resume", publishedAt="2025-10-30", sourceUrl="https://example.org/a"),
        make("Event", "ev-1", name="Landing at Hmeimim", date="2025-10-26", involved=["c-avia"], addressEntity="a-hmeimim"),
        make("Directorship", "d-1", director="p-ivanov", organization="c-avia", role="CEO", startDate="2019"),
        make("Ownership", "o-1", owner="pb-mod", asset="c-avia", percentage="51", proof="art-1",
             description="per the registry extract"),
        make("UnknownLink", "u-1", subject="p-ivanov", object="pb-mod", role="adviser", endDate="2024-12"),
    ]
    with open(path, "w", encoding="utf-8") as f:
        for e in es:
            f.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
    print(f"write-ftm: {len(es)} entities written by followthemoney")


def check_airports(path):
    """Every airfield the airportsdata package lists is in the FtM export of a workspace that
    imported its CSV: an Address (or the kb entity linked to it) with its ICAO code, name,
    coordinates and country as the package's own reader gives them."""
    import airportsdata

    airports = airportsdata.load("ICAO")
    by_id, by_alias = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                by_id[d["id"]] = d
                for a in d.get("properties", {}).get("alias", []):
                    by_alias.setdefault(a, d)
    problems = []
    for icao, a in airports.items():
        e = by_id.get("airport-" + icao.lower()) or by_alias.get(icao)
        if e is None:
            problems.append(f"{icao} ({a['name']}) is not in the export")
            continue
        p = e.get("properties", {})
        if e["id"].startswith("airport-"):
            if e["schema"] != "Address" or p.get("name") != [a["name"].strip()]:
                problems.append(f"{icao}: {e['schema']} {p.get('name')} is not the Address {a['name']!r}")
            if a["iata"] and a["iata"] not in p.get("alias", []):
                problems.append(f"{icao}: IATA {a['iata']} is not an alias")
            for key, want in (("latitude", a["lat"]), ("longitude", a["lon"])):
                got = p.get(key, [])
                if len(got) != 1 or abs(float(got[0]) - float(want)) > 1e-9:
                    problems.append(f"{icao}: {key} {got} is not {want}")
        if len(a["country"]) == 2 and a["country"].lower() not in p.get("country", []):
            problems.append(f"{icao}: country {p.get('country')} is not {a['country'].lower()}")
    fail(problems, "airports")
    print(f"airports: the {len(airports)} airfields airportsdata lists are in the FtM export with their codes, "
          f"names, coordinates and countries")


def same_ftm(a, b, what="the library wrote"):
    """The entities of two FtM files are the same (ids, schemata, property values)."""
    def load(p):
        out = {}
        with open(p, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line)
                    out[d["id"]] = (d["schema"], {k: sorted(set(v)) for k, v in d.get("properties", {}).items()})
        return out
    x, y = load(a), load(b)
    problems = [f"{k}: {x.get(k)} != {y.get(k)}" for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
    fail(problems, "ftm round trip")
    print(f"ftm round trip: {what} {len(x)} entities come back equal")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    kind, args = sys.argv[1], sys.argv[2:]
    {"ftm": check_ftm, "stix": check_stix, "gexf": check_gexf, "write-ftm": write_ftm, "same-ftm": same_ftm,
     "airports": check_airports}[kind](*args)
