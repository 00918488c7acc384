-- activity: a base where flights were observed within a few days of each other is active
-- over that period. The derived property's valid time spans the flights it rests on.
return {
  name = "activity",
  version = "1.0",
  description = "Marks a base active when two observed flights land there within window_days",
  params = { window_days = { type = "integer", default = 7, description = "how close in time two flights must be" } },
  rules = {
    active_base = {
      match = "(a:Aircraft)-[f:FLEW_TO]->(b:Base), (a2:Aircraft)-[g:FLEW_TO]->(b)",
      distinct = { "f", "g" },
      within_days = 7,
      derive = { property = "activity", of = "b", value = "active" },
      valid_time = "span",
      confidence = "min",
    },
  },
}
