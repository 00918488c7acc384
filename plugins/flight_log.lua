-- flight_log: observed flights into each base within a window, from FLEW_TO relations.
-- mosaic run flight_log --param since=2025-10-01 --param until=2025-10-31
return {
  name = "flight_log",
  version = "1.0",
  description = "Counts observed flights (FLEW_TO) into each base within a date window",
  params = {
    since = { type = "date", default = "2025-10-01", description = "first day of the window" },
    ["until"] = { type = "date", default = "2025-12-31", description = "last day of the window" },
  },
  run = function(params, kb)
    local window_start, window_end = params.since, params["until"]
    local summary = {}
    for base in kb.each("Base") do
      local flights, first, last = 0, nil, nil
      for _, flight in ipairs(base:inn("FLEW_TO")) do
        local when = flight.valid_from
        -- a flight counts when its date (or the start of its date range) is in the window
        if when and not when:before(window_start) and not when:after(window_end) then
          flights = flights + 1
          if not first or when < first then first = when end
          if not last or when > last then last = when end
        end
      end
      if flights > 0 then
        kb.log(string.format("%s: %d flight(s), %s to %s", base.name or base.id, flights, first, last))
        summary[#summary + 1] = { base = base.id, flights = flights, first = tostring(first), last = tostring(last) }
      end
    end
    table.sort(summary, function(a, b) return a.flights > b.flights or (a.flights == b.flights and a.base < b.base) end)
    return summary
  end,
}
