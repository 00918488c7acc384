-- syria_bases: the daily briefing on Russia's military posture in Syria, from the sample KB.
-- What changed since the last briefing, the bases and their activity, a timeline of
-- observed flights, diplomatic and defence contacts, and the sources with their grading.
local function date_text(r)
  local from, to = r.valid_from, r.valid_to
  if not from then return nil end
  if to and tostring(to) ~= tostring(from) then return tostring(from) .. " – " .. tostring(to) end
  return tostring(from)
end

local function name_of(e) return e.name or e.id end

-- Where an entity is: the places it is LOCATED_IN (nearest first) and the countries it is
-- in, as the containment rules derived them (IN_COUNTRY), else by walking the chain.
local function location(e)
  local names, ids = {}, {}
  for _, r in ipairs(e:out("LOCATED_IN")) do
    if r.to.type ~= "Country" and r.to.type ~= "Region" then names[#names + 1] = name_of(r.to) end
  end
  for _, r in ipairs(e:out("IN_COUNTRY")) do
    if not ids[r.to.id] then ids[r.to.id] = true; names[#names + 1] = name_of(r.to) end
  end
  if next(ids) == nil then
    local cur, seen = e, {}
    for _ = 1, 6 do
      local step = cur:out("LOCATED_IN")[1] or cur:out("PART_OF")[1]
      if not step or seen[step.to.id] then break end
      seen[step.to.id] = true
      cur = step.to
      ids[cur.id] = true
      if cur.type == "Country" then names[#names + 1] = name_of(cur) end
    end
  end
  return table.concat(names, ", "), ids
end

local function by_date(a, b)
  local da, db = a.valid_from and tostring(a.valid_from) or "", b.valid_from and tostring(b.valid_from) or ""
  if da ~= db then return da < db end
  return a.id < b.id
end

return {
  name = "syria_bases",
  version = "1.0",
  description = "Daily briefing: Russia's bases in Syria, observed flights, contacts, changes and sources",
  params = {
    operator = { type = "string", default = "russia", description = "the country whose bases the briefing follows" },
    host = { type = "string", default = "syria", description = "the country the bases are in" },
  },
  schedule = "0 6 * * *",
  reports = {
    daily = function(params, kb)
      local operator, host = kb.get(params.operator), kb.get(params.host)
      if not operator or not host then error("the KB has no '" .. params.operator .. "' or '" .. params.host .. "'") end
      doc.title(name_of(operator) .. "'s military posture in " .. name_of(host))

      -- What changed since the last successful run.
      doc.heading(1, "What changed")
      local ch = changes()
      if ch.first_run then
        doc.paragraph("This is the first briefing from this knowledge base: everything below is new.")
      elseif #ch.added == 0 and #ch.retracted == 0 then
        doc.paragraph("Nothing was learnt or withdrawn since the last briefing.")
      else
        local items = {}
        -- One line per fact: new, newly supported (corroboration before -> after), refined or
        -- corrected dates (old -> new), disputed, withdrawn.
        for i, s in ipairs(ch.added) do
          if i > 12 then items[#items + 1] = string.format("… and %d more", #ch.added - 12) break end
          items[#items + 1] = { { strong = s.kind .. ": " }, s.text, " ", doc.sources(s.id) }
        end
        for i, s in ipairs(ch.retracted) do
          if i > 6 then break end
          items[#items + 1] = { { strong = "withdrawn: " }, s.text }
        end
        doc.list(items)
      end

      -- The bases the operator keeps in the host country.
      doc.heading(1, "Bases")
      local rows, base_ids, places = {}, {}, {}
      for _, op in ipairs(operator:out("OPERATES")) do
        local base = op.to
        local where, within = location(base)
        if base.type == "Base" and within[host.id] then
          local flights = base:inn("FLEW_TO")
          table.sort(flights, by_date)
          local activity = "no flights reported"
          if #flights > 0 then
            activity = string.format("%d flight%s observed, latest %s", #flights, #flights == 1 and "" or "s",
                                     date_text(flights[#flights]) or "undated")
          end
          if base.activity == "active" then activity = activity .. "; assessed active (activity rule)" end
          if op.disputed then activity = activity .. "; operator disputed (see Disputed)" end
          rows[#rows + 1] = { doc.entity(base.id), where, base.kind or "", activity, doc.sources(op.id) }
          base_ids[#base_ids + 1] = base.id
          local placed = base:out("LOCATED_IN")[1]
          if placed then places[placed.to.id] = true end
        end
      end
      doc.table({ "Base", "Location", "Kind", "Activity", "Source" }, rows)
      for _, id in ipairs(base_ids) do
        local b = kb.get(id)
        if b.assessment then doc.note({ doc.entity(b.id), ": ", b.assessment }, "note") end
      end

      -- Key judgements: what the operator is reported to be doing, with the grade of the
      -- claim and the chain of outlets it came through.
      local judgements = {}
      for _, p in ipairs(operator:out("PARTICIPATED_IN")) do
        local ev = p.to
        if ev.summary then
          local chain = {}
          for _, src in ipairs(p.sources) do
            local via = #src.via > 0 and (" via " .. table.concat(src.via, " ← ")) or ""
            chain[#chain + 1] = (src.publisher or src.id) .. via
          end
          judgements[#judgements + 1] = { ev.summary, string.format(" (grade %s%s%s) ", p.grading or "ungraded",
            #chain > 0 and "; reported by " .. table.concat(chain, "; ") or "",
            p.corroboration > 1 and string.format("; %d independent origins", p.corroboration) or "; one origin"), doc.sources(p.id) }
        end
      end
      if #judgements > 0 then
        doc.heading(1, "Key judgements")
        doc.list(judgements)
      end

      -- Observed flights, oldest first: one line per flight (a fact reported by several
      -- sources cites them all), with where the aircraft came from when a departure is dated
      -- the same day.
      doc.heading(1, "Observed flights")
      local events, used = {}, {}
      for _, id in ipairs(base_ids) do
        for _, f in ipairs(kb.get(id):inn("FLEW_TO")) do
          local when = date_text(f) or "undated"
          local label, cite = name_of(f.from) .. " flew to " .. name_of(f.to), { f.id }
          for _, d in ipairs(f.from:out("FLEW_FROM")) do
            if date_text(d) == when then
              label = name_of(f.from) .. ": " .. name_of(d.to) .. " → " .. name_of(f.to)
              cite[#cite + 1] = d.id
              used[d.id] = true
            end
          end
          if f.corroboration > 1 then label = label .. string.format(" (%d independent origins)", f.corroboration) end
          if f.disputed then label = label .. " (disputed)" end
          events[#events + 1] = { date = when, label = label, entities = {}, sources = cite }
        end
      end
      for _, aircraft in ipairs(kb.find { type = "Aircraft" }) do
        for _, f in ipairs(aircraft:out("FLEW_FROM")) do
          if not used[f.id] then
            events[#events + 1] = { date = date_text(f) or "undated", label = name_of(aircraft) .. " left " .. name_of(f.to),
                                    entities = {}, sources = { f.id } }
          end
        end
      end
      table.sort(events, function(a, b) if a.date ~= b.date then return a.date < b.date end return a.label < b.label end)
      doc.timeline(events)

      -- Logistics routes the routes rule derived from departures and arrivals.
      local routes = {}
      for _, r in ipairs(kb.relations("LOGISTICS_ROUTE")) do
        routes[#routes + 1] = { doc.entity(r.from.id), " → ", doc.entity(r.to.id), " (", date_text(r) or "undated", ", derived) ", doc.sources(r.id) }
      end
      if #routes > 0 then
        doc.heading(1, "Logistics routes")
        doc.list(routes)
      end

      -- Meetings between officials.
      doc.heading(1, "Contacts")
      local meetings = {}
      for _, ev in ipairs(kb.find { type = "Event" }) do
        local people = {}
        for _, p in ipairs(ev:inn("PARTICIPATED_IN")) do
          if p.from.type == "Person" then people[#people + 1] = p end
        end
        if #people >= 2 then
          local run = {}
          local when = date_text(people[1]) or (ev.date and tostring(ev.date)) or "undated"
          run[#run + 1] = { strong = when .. ": " }
          for i, p in ipairs(people) do
            if i > 1 then run[#run + 1] = (i == #people) and " and " or ", " end
            run[#run + 1] = doc.entity(p.from.id)
          end
          local place = ev:out("TOOK_PLACE_IN")[1]
          if place then run[#run + 1] = " met in " .. name_of(place.to) end
          local topics = {}
          for _, d in ipairs(ev:out("DISCUSSED")) do
            local t = d.properties.topic
            if t and not topics[t] then topics[t] = true; topics[#topics + 1] = t end
          end
          if #topics > 0 then run[#run + 1] = "; topics: " .. table.concat(topics, "; ") end
          run[#run + 1] = " "
          run[#run + 1] = doc.sources(people[1].id)
          for _, c in ipairs(kb.relations("CONTACT")) do
            if c.properties.event == ev.id then
              run[#run + 1] = "; a contact between " .. name_of(c.from) .. " and " .. name_of(c.to) .. " (derived) "
              run[#run + 1] = doc.sources(c.id)
              break
            end
          end
          meetings[#meetings + 1] = { when, run }
        end
      end
      table.sort(meetings, function(a, b) return a[1] < b[1] end)
      local items = {}
      for _, m in ipairs(meetings) do items[#items + 1] = m[2] end
      if #items == 0 then doc.paragraph("No meetings between officials are recorded.") else doc.list(items) end

      -- Contradictions: denials and facts that cannot both hold. Both sides stay in the KB.
      local conflicts = kb.conflicts()
      if #conflicts > 0 then
        doc.heading(1, "Disputed")
        local items = {}
        for _, c in ipairs(conflicts) do
          local grade = c.other.grading and (" (" .. c.other.grading .. ")") or ""
          items[#items + 1] = { c.reason, grade, " ", doc.sources(c.claim) }
        end
        doc.list(items)
      end

      -- Who operates what, and where.
      local ids = { operator.id, host.id }
      for _, id in ipairs(base_ids) do ids[#ids + 1] = id end
      for id in kb.spairs(places) do ids[#ids + 1] = id end
      -- The observed routes: the aircraft seen at the bases, where they came from and went on
      -- to, and the logistics routes the rules derived.
      local seen_ids = {}
      for _, id in ipairs(ids) do seen_ids[id] = true end
      local function add(id) if not seen_ids[id] then seen_ids[id] = true; ids[#ids + 1] = id end end
      for _, id in ipairs(base_ids) do
        for _, f in ipairs(kb.get(id):inn("FLEW_TO")) do
          add(f.from.id)
          for _, d in ipairs(f.from:out("FLEW_FROM")) do add(d.to.id) end
          for _, o in ipairs(f.from:out("FLEW_TO")) do add(o.to.id) end
        end
      end
      for _, r in ipairs(kb.relations("LOGISTICS_ROUTE")) do add(r.from.id); add(r.to.id) end
      doc.diagram(ids, "Bases, their operator and place, and the observed routes")

      doc.note("Each note below is one source: the article, its publisher and date, the reliability of the " ..
               "source (A–F) and the outlets the facts came through; a fact cites every source that reports it. " ..
               "Grades (reliability A–F, credibility 1–6) are those of the facts. Dashed arrows in the diagram " ..
               "are derived by the rules.")
    end,
  },
}
