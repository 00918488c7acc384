-- contacts: officials who took part in the same event give a dated contact between the
-- governments they serve (a Lua rule: the way from a person to a government varies).
local function government(person)
  for _, r in ipairs(person:out("LEADS")) do
    if r.to.type == "Government" then return r.to, { r.id } end
  end
  for _, r in ipairs(person:out("HOLDS_OFFICE")) do
    if r.to.type == "Government" then return r.to, { r.id } end
    for _, p in ipairs(r.to:out("PART_OF")) do
      if p.to.type == "Government" then return p.to, { r.id, p.id } end
    end
  end
  return nil
end

return {
  name = "contacts",
  version = "1.0",
  description = "CONTACT between governments whose officials met",
  rules = {
    government_contact = {
      reads = { "PARTICIPATED_IN", "LEADS", "HOLDS_OFFICE", "PART_OF" },
      writes = { "CONTACT" },
      derive = function(params, kb, changes)
        for _, event in ipairs(kb.find { type = "Event" }) do
          local people = {}
          for _, p in ipairs(event:inn("PARTICIPATED_IN")) do
            if p.from.type == "Person" then people[#people + 1] = p end
          end
          for i = 1, #people do
            for j = i + 1, #people do
              local ga, pa = government(people[i].from)
              local gb, pb = government(people[j].from)
              if ga and gb and ga.id ~= gb.id then
                local premises = { people[i].id, people[j].id }
                for _, id in ipairs(pa) do premises[#premises + 1] = id end
                for _, id in ipairs(pb) do premises[#premises + 1] = id end
                local from, to = ga, gb
                if to.id < from.id then from, to = to, from end
                kb.derive { relation = "CONTACT", from = from.id, to = to.id, premises = premises,
                            properties = { event = event.id } }
              end
            end
          end
        end
      end,
    },
  },
}
