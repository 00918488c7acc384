-- corroboration: how many independent origins stand behind each relation. A citation's
-- origin is the last outlet of its `via` chain (kept in the note as "[via a, b] …"), else
-- the cited article itself: an article repeating another outlet's data adds no origin.
local function origin(citation)
  local chain = citation.note and citation.note:match("^%[via ([^%]]+)%]")
  if chain then
    local last
    for id in chain:gmatch("[^,%s]+") do last = id end
    return last
  end
  return citation.source
end

return {
  name = "corroboration",
  version = "1.0",
  description = "The number of independent origins behind each relation",
  params = { types = { type = "string", default = "FLEW_TO,FLEW_FROM,OPERATES,PARTICIPATED_IN,HOLDS_OFFICE" } },
  rules = {
    origins = {
      reads = { "FLEW_TO", "FLEW_FROM", "OPERATES", "PARTICIPATED_IN", "HOLDS_OFFICE" },
      writes = { "corroboration" },
      derive = function(params, kb, changes)
        for reltype in params.types:gmatch("[^,%s]+") do
          for _, r in ipairs(kb.relations(reltype)) do
            local seen, count = {}, 0
            for _, c in ipairs(r.sources) do
              local o = origin(c)
              if not seen[o] then seen[o] = true; count = count + 1 end
            end
            kb.derive { statement = r.id, property = "corroboration", value = count, premises = { r.id } }
          end
        end
      end,
    },
  },
}
