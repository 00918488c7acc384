-- flew_to_per_base: the scan benchmark as a plugin. Counts FLEW_TO relations per
-- destination and returns the same summary as ../shared/bench/lua/scan.lua:
-- "total|distinct destinations|busiest destination|its count".
return {
  name = "flew_to_per_base",
  version = "1.0",
  description = "Counts FLEW_TO relations per destination (the Lua scan benchmark)",
  params = { reltype = { type = "string", default = "FLEW_TO" } },
  run = function(params, kb)
    local _, to = kb.edges(params.reltype)
    local counts = {}
    for i = 1, #to do
      local d = to[i]
      counts[d] = (counts[d] or 0) + 1
    end
    local total, n, top, topc = 0, 0, "", -1
    for k, v in pairs(counts) do
      total = total + v
      n = n + 1
      if v > topc or (v == topc and k < top) then top, topc = k, v end
    end
    return string.format("%d|%d|%s|%d", total, n, top, topc)
  end,
}
