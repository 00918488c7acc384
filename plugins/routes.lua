-- routes: an aircraft seen leaving one place and arriving at a base within two days gives a
-- logistics route between them (in the sample: Libya to Hmeimim).
return {
  name = "routes",
  version = "1.0",
  description = "LOGISTICS_ROUTE from an aircraft's departure and arrival close in time",
  rules = {
    route = {
      match = "(o)<-[d:FLEW_FROM]-(a:Aircraft)-[f:FLEW_TO]->(b:Base)",
      within_days = 2,
      derive = { relation = "LOGISTICS_ROUTE", from = "o", to = "b" },
      valid_time = "span",
    },
  },
}
