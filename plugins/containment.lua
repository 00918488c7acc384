-- containment: the country every base, city and governorate lies in, from chains of
-- LOCATED_IN and PART_OF. Two pattern rules reach a fixpoint: a direct link to a country,
-- and a link to something already known to be in a country.
return {
  name = "containment",
  version = "1.0",
  description = "IN_COUNTRY from LOCATED_IN / PART_OF chains",
  rules = {
    in_country = {
      match = "(x)-[r:LOCATED_IN|PART_OF]->(c:Country)",
      derive = { relation = "IN_COUNTRY", from = "x", to = "c" },
      valid_time = "none",
    },
    in_country_via = {
      match = "(x)-[r:LOCATED_IN|PART_OF]->(y)-[i:IN_COUNTRY]->(c:Country)",
      derive = { relation = "IN_COUNTRY", from = "x", to = "c" },
      valid_time = "none",
    },
  },
}
