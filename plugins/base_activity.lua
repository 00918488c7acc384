-- base_activity: marks a base "active" when enough flights were observed into it recently.
-- The property it asserts cites the articles behind those flights, and the run commits as
-- one transaction with origin plugin:base_activity@1.0.
return {
  name = "base_activity",
  version = "1.0",
  description = "Asserts activity_status = 'active' on bases with recent observed flights",
  params = {
    days = { type = "integer", default = 30, description = "how far back from the engine clock to look" },
    min_flights = { type = "integer", default = 2, description = "flights needed to call a base active" },
  },
  run = function(params, kb)
    local today = kb.now():truncate("day")
    local window_start = today - params.days
    local marked = {}
    for base in kb.each("Base") do
      local recent, sources, seen, earliest = 0, {}, {}, nil
      for _, flight in ipairs(base:inn("FLEW_TO")) do
        local when = flight.valid_from
        if when and not when:before(window_start) and not when:after(today) then
          recent = recent + 1
          if not earliest or when < earliest then earliest = when end
          for _, cite in ipairs(flight.sources) do
            if not seen[cite.source] then
              seen[cite.source] = true
              sources[#sources + 1] = cite.source
            end
          end
        end
      end
      if recent >= params.min_flights and base.activity_status ~= "active" then
        table.sort(sources)
        kb.assert {
          entity = base, property = "activity_status", value = "active",
          valid_from = earliest, sources = sources, grading = "B2",
        }
        kb.log(string.format("%s is active: %d flights since %s", base.id, recent, window_start))
        marked[#marked + 1] = base.id
      end
    end
    return marked
  end,
}
