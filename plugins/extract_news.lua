-- extract_news: extractors that read news sentences and propose facts for review (mosaic
-- ingest, then mosaic review). Each extractor receives one sentence at a time, with the
-- linker's mentions (entity, type, offsets) and dates, and a `doc` table shared by the
-- document's sentences (`doc.memo` keeps what earlier sentences established: who was
-- speaking, which outlet a paragraph relays, which base lies in which place).
--
-- They are driven by the mentions' types, verbs and short patterns, not by any article's
-- wording: flights (aircraft to or from a place on a date), meetings (who met whom, where,
-- when), offices ("Foreign Minister X"), operators of bases and aircraft, places ("BASE in
-- PLACE"), statements ("X said"), requests for comment, alliances, and who reported or cited
-- whom (the `via` chain of every proposal). Denials ("denied that …", "no aircraft landed")
-- are proposed as denials.

local lower, find, sub, gmatch = string.lower, string.find, string.sub, string.gmatch
local part_of_government   -- defined with the ministries' helpers below
local person_by_role       -- defined with the meetings' helpers below

---------------------------------------------------------------------------------------------
-- Helpers
---------------------------------------------------------------------------------------------

-- string.find with "@" standing for an apostrophe, straight or typographic (’ is three bytes).
local function find_apos(text, pattern, init)
  local r = { find(text, (pattern:gsub("@", "'")), init) }
  if r[1] then return table.unpack(r) end
  return find(text, (pattern:gsub("@", "\226\128\153")), init)
end
local function match_apos(text, pattern)
  local r = { text:match((pattern:gsub("@", "'"))) }
  if #r > 0 then return table.unpack(r) end
  return text:match((pattern:gsub("@", "\226\128\153")))
end

local function has_label(m, label)
  if not m or not m.id then return false end
  if m.type == label then return true end
  for _, l in ipairs(m.labels or {}) do if l == label then return true end end
  return false
end

local PLACE_TYPES = { "Location", "Country", "City", "Governorate", "Region", "Base" }
local function is_place(m)
  for _, t in ipairs(PLACE_TYPES) do if has_label(m, t) then return true end end
  return false
end
local function is_org(m)
  return has_label(m, "Organization") or has_label(m, "NewsOrganization") or has_label(m, "Ministry")
      or has_label(m, "Government")
end
local function is_person(m) return has_label(m, "Person") or (m.kind == "new" and m.new_type == "Person") end
local function is_news(m) return has_label(m, "NewsOrganization") end
local function is_country(m) return has_label(m, "Country") end
local function is_base(m) return has_label(m, "Base") end

local function words(text)
  local out = {}
  for w in gmatch(lower(text), "[%w%-']+") do out[#out + 1] = w end
  return out
end

local function singular(w)
  if #w > 4 and sub(w, -3) == "ies" then return sub(w, 1, -4) .. "y" end
  if #w > 3 and sub(w, -1) == "s" and sub(w, -2) ~= "ss" then return sub(w, 1, -2) end
  return w
end

-- Capitals named for their country's government ("Moscow said"): general knowledge, used
-- only where a country is expected (the subject of an operating or relying verb, an ally).
local CAPITALS = {
  moscow = "Russia", damascus = "Syria", ankara = "Turkey", tehran = "Iran", beijing = "China",
  washington = "United States", kyiv = "Ukraine", kiev = "Ukraine", london = "United Kingdom",
  paris = "France", berlin = "Germany", tripoli = "Libya", cairo = "Egypt", baghdad = "Iraq",
  beirut = "Lebanon", amman = "Jordan", riyadh = "Saudi Arabia", doha = "Qatar", minsk = "Belarus",
}
local IRREGULAR_DEMONYMS = {
  french = "France", british = "United Kingdom", american = "United States", german = "Germany",
  chinese = "China", dutch = "Netherlands", swiss = "Switzerland", turkish = "Turkey", greek = "Greece",
  iranian = "Iran", ukrainian = "Ukraine", israeli = "Israel", iraqi = "Iraq", egyptian = "Egypt",
}

-- The document's lookups, built once: demonym → country id, country id → its names.
local function tables(doc)
  local memo = doc.memo
  if memo.demonyms then return memo end
  local dem, names = {}, {}
  for _, c in ipairs(kb.find { type = "Country" }) do
    local list = { c.name }
    for _, a in ipairs(c.aliases or {}) do list[#list + 1] = a end
    names[c.id] = list
    for _, n in ipairs(list) do
      local l = lower(n)
      dem[l] = c.id
      if sub(l, -1) == "a" then dem[l .. "n"] = c.id end
      if sub(l, -1) == "e" then dem[sub(l, 1, -2) .. "ian"] = c.id end
      if sub(l, -2) == "ey" then dem[sub(l, 1, -3) .. "ish"] = c.id end
      dem[l .. "ian"] = c.id
      dem[l .. "i"] = c.id
      dem[l .. "ese"] = c.id
    end
  end
  for d, country in pairs(IRREGULAR_DEMONYMS) do
    local hits = kb.find { type = "Country", name = country }
    if #hits == 1 and not dem[d] then dem[d] = hits[1].id end
  end
  memo.demonyms, memo.country_names = dem, names
  memo.att, memo.base_in = {}, {}
  return memo
end

-- A country from a word: a demonym ("Russian"), a country's name, or a capital ("Moscow").
local function country_of_word(doc, word)
  local memo = tables(doc)
  local w = lower(word or "")
  if memo.demonyms[w] then return memo.demonyms[w] end
  local cap = CAPITALS[w]
  if cap then
    local hits = kb.find { type = "Country", name = cap }
    if #hits == 1 then return hits[1].id end
  end
  return nil
end

-- The country a mention stands for where a country is expected: itself, its capital, or a
-- city the KB places in exactly one country.
local function as_country(doc, m)
  if not m or not m.id then return nil end
  if is_country(m) then return m.id end
  if has_label(m, "City") or has_label(m, "Location") then
    local c = country_of_word(doc, m.text)
    if c then return c end
  end
  return nil
end

-- The country written right before position i: "Syria's ", "Russian ", "the Velorian ".
local function country_before(s, doc, i)
  local head = sub(s.text, 1, i - 1)
  for _, m in ipairs(s.mentions) do
    if m.j < i and is_country(m) then
      local gap = sub(s.text, m.j + 1, i - 1)
      if find_apos(gap, "^@s%s+$") or find_apos(gap, "^@s%s+[%a%-]+%s+$") then return m.id end
    end
  end
  local word = head:match("(%a+)%s+$")
  if word then return country_of_word(doc, word) end
  return nil
end

-- Entities of a type whose names contain every content word of a descriptive phrase ("a
-- naval facility in Tartus", "its bases in Libya", "a heavy-lift cargo aircraft").
local STOP = {}
for w in gmatch("a an the its their his her our my this that these those main only key major first second third " ..
                "fourth two three four several some other another at least in of at on near outside one new old " ..
                "former its russian's", "%S+") do STOP[w] = true end

local function entity_words(doc, etype)
  local memo = tables(doc)
  memo.ewords = memo.ewords or {}
  if memo.ewords[etype] then return memo.ewords[etype] end
  local list = {}
  for _, e in ipairs(kb.find { type = etype }) do
    local names = { e.name or e.id }
    for _, a in ipairs(e.aliases or {}) do names[#names + 1] = a end
    for _, n in ipairs(names) do
      local set = {}
      for _, w in ipairs(words(n)) do set[singular(w)] = true end
      list[#list + 1] = { id = e.id, set = set }
    end
  end
  memo.ewords[etype] = list
  return list
end

local KIND_WORDS = {
  Base = { "base", "bases", "airbase", "airbases", "facility", "facilities", "port", "airfield", "airfields",
           "airport", "station", "outpost", "garrison" },
  Aircraft = { "aircraft", "plane", "planes", "jet", "jets", "airlifter", "airlifters", "helicopter",
               "helicopters", "transport", "bomber", "bombers", "fighter", "fighters" },
}

-- { {id, i, j}, … }: the phrases of a sentence that describe one entity of `etype`.
local function described(s, doc, etype)
  local out = {}
  local text = lower(s.text)
  local list = entity_words(doc, etype)
  for _, kw in ipairs(KIND_WORDS[etype]) do
    local init = 1
    while true do
      local a, b = find(text, "%f[%w]" .. kw .. "%f[^%w]", init)
      if not a then break end
      init = b + 1
      -- up to three words before the kind word, and "in|at|of PLACE" after it
      -- the modifiers right before the kind word (up to three, back to the first stopword)
      local content, place = {}, nil
      local start = a
      local k = a - 1
      for _ = 1, 3 do
        local p, q = k, k
        while p >= 1 and sub(text, p, p):match("%s") do p = p - 1 end
        q = p
        while p >= 1 and sub(text, p, p):match("[%w%-]") do p = p - 1 end
        local w = sub(text, p + 1, q)
        if w == "" or STOP[w] or w:match("^%d") then break end
        table.insert(content, 1, singular(w))
        start, k = p + 1, p
      end
      content[#content + 1] = singular(kw)
      local stop = b
      local rest = sub(text, b + 1)
      local prep = rest:match("^%s+(in)%s") or rest:match("^%s+(at)%s") or rest:match("^%s+(of)%s")
      if prep then
        for _, m in ipairs(s.mentions) do
          if m.i > b and m.i <= b + #prep + 3 and is_place(m) then
            for _, w in ipairs(words(m.text)) do content[#content + 1] = singular(w) end
            place, stop = m, m.j
            break
          end
        end
      end
      local overlaps = false
      for _, m in ipairs(s.mentions) do
        if m.id and has_label(m, etype) and m.i <= b and m.j >= a then overlaps = true end
      end
      if not overlaps and (#content >= 3 or (place and #content >= 2)) then
        local hits, seen = {}, {}
        for _, e in ipairs(list) do
          local all = true
          for _, w in ipairs(content) do if not e.set[w] then all = false break end end
          if all and not seen[e.id] then hits[#hits + 1] = e.id; seen[e.id] = true end
        end
        if #hits == 1 then
          out[#out + 1] = { id = hits[1], type = etype, labels = { etype }, i = start, j = stop, text = sub(s.text, start, stop),
                            start = s.start + start - 1, stop = s.start + stop, kind = "described", place = place }
        end
      end
    end
  end
  table.sort(out, function(x, y) return x.i < y.i end)
  return out
end

-- The mentions of a sentence with the described entities of these types added, in order.
local function with_described(s, doc, types)
  local list = {}
  for _, m in ipairs(s.mentions) do list[#list + 1] = m end
  for _, t in ipairs(types) do
    for _, d in ipairs(described(s, doc, t)) do list[#list + 1] = d end
  end
  table.sort(list, function(x, y) return x.i < y.i end)
  return list
end

-- The first mention satisfying `ok` that starts at or after position i, within `gap` bytes
-- (allowing "the", "a", "its" between).
local function mention_after(list, i, ok, gap)
  for _, m in ipairs(list) do
    if m.i >= i and m.i <= i + (gap or 6) and ok(m) then return m end
  end
  return nil
end

local function nearest_before(list, i, ok)
  local best
  for _, m in ipairs(list) do if m.j < i and ok(m) then best = m end end
  return best
end

-- The best date for a fact read at position i: the only date, else the nearest one.
local function date_near(s, i)
  local best, bd
  for _, d in ipairs(s.dates) do
    if d.from then
      local dist = math.abs(d.i - i)
      if not bd or dist < bd then best, bd = d, dist end
    end
  end
  return best
end

---------------------------------------------------------------------------------------------
-- Attribution: which outlets a sentence's facts came through (the `via` chain)
---------------------------------------------------------------------------------------------

local function relay_mentions(s, doc)
  -- explicit relays in the sentence: {mention, role} in order; role "news" | "data" | "cites" | "self"
  local out = {}
  local text = lower(s.text)
  for _, m in ipairs(s.mentions) do
    local before = sub(text, math.max(1, m.i - 45), m.i - 1)
    -- an informant "close to the palace" is not the palace speaking
    local unnamed = before:find("close to [%w%s]*$") or before:find("sources? in [%w%s]*$") or before:find("sources? within [%w%s]*$")
    if m.id and is_org(m) and m.id ~= doc.source and not unnamed then
      local after = sub(text, m.j + 1, m.j + 60):gsub("^ %b()", "", 1)
      local role
      if before:find("according to [%w%s%-]*$") or before:find("citing [%w%s%-]*$") or before:find("told $")
          or before:find("reported by $") or before:find("quoted by $") or before:find("cited by $")
          or before:find("in an interview with $") or before:find("speaking to $") then
        role = "news"
      elseif before:find("data from $") or before:find("images from $") or before:find("data by $")
          or before:find("tracking by $") or before:find("figures from $") or after:find("^ data%f[%A]")
          or after:find("^ tracking data") or after:find("^ images%f[%A]") or after:find("^ figures%f[%A]") then
        role = "data"
      elseif after:find("^,? [%w%s,%-]-reported") or after:find("^ reports?%f[%A]") or after:find("^,? citing")
          or after:find("^ said") or after:find("^ says") or after:find("^ quoted") or after:find("^ wrote") then
        role = "news"
      elseif after:find("^ published") or after:find("^ released") or after:find("^ posted") or after:find("^ issued") then
        role = "cites"
      end
      if role and before:find("citing [%w%s%-]*$") and #out > 0 and out[#out].role == "news" then role = "source" end
      if role then
        if m.id == doc.publisher then role = "self" end
        if role == "news" and not is_news(m) then role = "cites" end
        out[#out + 1] = { m = m, role = role }
      end
    end
  end
  return out
end

-- The via chain of sentence s (nearest outlet first), cached; carries a paragraph's
-- attribution to its later sentences, and "the agency" / "the data" to the outlet named
-- before.
local function attribution(s, doc)
  local memo = tables(doc)
  if memo.att[s.index] then return memo.att[s.index] end
  local text = lower(s.text)
  local chain = {}
  local relays = relay_mentions(s, doc)
  for _, r in ipairs(relays) do
    if r.role == "news" or r.role == "cites" or r.role == "source" then chain[#chain + 1] = r.m.id end
  end
  for _, r in ipairs(relays) do
    if r.role == "data" then
      if #chain == 0 and memo.agency then for _, v in ipairs(memo.agency) do chain[#chain + 1] = v end end
      chain[#chain + 1] = r.m.id
      memo.data = {}
      for _, v in ipairs(chain) do memo.data[#memo.data + 1] = v end
    end
  end
  local carry = #chain > 0
  if #chain > 0 then
    local news = {}
    for _, r in ipairs(relays) do if r.role == "news" then news[#news + 1] = r.m.id end end
    if #news > 0 then memo.agency = news end
    carry = #news > 0 or memo.data ~= nil and chain == memo.data or (function()
      for _, r in ipairs(relays) do if r.role == "data" then return true end end
      return false
    end)()
  elseif (text:find("according to the data") or text:find("the data showed") or text:find("the tracking data")) and memo.data then
    chain = memo.data
  elseif text:find("^the agency") or text:find("^the outlet") or text:find("^the newspaper") or text:find("the agency said")
      or text:find(", the agency") or text:find("^the report") then
    chain = memo.agency or {}
  elseif memo.para == s.paragraph and memo.para_chain then
    chain = memo.para_chain
    carry = true
  end
  memo.para, memo.para_chain = s.paragraph, carry and chain or nil
  memo.att[s.index] = chain
  return chain
end

-- Proposes a fact with the sentence's attribution as its via chain (unless given).
local function emit(s, doc, t)
  if t.via == nil then
    local chain = attribution(s, doc)
    if #chain > 0 then t.via = chain end
  end
  propose(t)
end

-- Whether the clause before position i denies what follows ("denied that", "no …", "did not").
local function negated(s, i, j)
  local text = lower(s.text)
  local head = sub(text, 1, i - 1)
  local verb = sub(text, math.max(1, i - 30), (j or i))
  if head:find("%f[%a]den[iy][a-z]*[%w%s,]- that%f[%A]") or head:find("denied reports that") or head:find("rejected reports that")
      or head:find("dismissed reports that") or head:find("refuted reports that") or head:find("denying that") then
    return true, "denier"
  end
  if verb:find("%f[%a]not%s+%a+$") or verb:find("n't%s+%a+$") or verb:find("%f[%a]never%s+%a+$")
      or verb:find("%f[%a]not%s+have%s+%a+$") or verb:find("%f[%a]not%s+been%s+%a+$") then
    return true
  end
  return false
end

-- The organisation or person that denied, for the denial's via chain.
local function denier(s, i)
  for _, m in ipairs(s.mentions) do
    if m.i < i and m.id and (is_org(m) or is_person(m)) then
      local after = lower(sub(s.text, m.j + 1, i))
      if after:find("^[%w%s,]-den[iy]") then return m.id end
    end
  end
  return nil
end

---------------------------------------------------------------------------------------------
-- Extractors
---------------------------------------------------------------------------------------------

-- "X reported", "according to X", "X, citing Y", "told X", "data from X", "X published":
-- the article REPORTED_BY a news outlet it relays, CITES other organisations (and its own
-- outlet's reporting); an outlet that relays data CITES the data's source.
local function relays(s, doc)
  local chain = attribution(s, doc)
  for _, r in ipairs(relay_mentions(s, doc)) do
    local id = r.m.id
    if r.role == "source" or (r.role == "data" and #chain > 1) then
      -- proposed with the chain below: the outlet before it CITES it
    elseif r.role == "data" then
      propose { relation = "CITES", from = doc.source, to = id, confidence = 0.6, evidence = { r.m },
                note = "the article draws on this source's data" }
    elseif r.role == "news" then
      propose { relation = "REPORTED_BY", from = doc.source, to = id, confidence = 0.75, evidence = { r.m },
                note = "the article relays this outlet" }
    elseif r.role == "cites" or r.role == "self" then
      propose { relation = "CITES", from = doc.source, to = id, confidence = 0.65, evidence = { r.m },
                note = r.role == "self" and "the outlet's own reporting" or "the article draws on this organisation's release" }
    end
  end
  for k = 1, #chain - 1 do
    if chain[k] ~= chain[k + 1] then
      propose { relation = "CITES", from = chain[k], to = chain[k + 1], confidence = 0.5,
                evidence = {}, note = "a relayed outlet drawing on another source" }
    end
  end
end

-- The earliest of `words` (Lua patterns) as a whole word in `text`: its start and end, or nil.
local function earliest(text, words)
  local at, stop
  for _, v in ipairs(words) do
    local a, b = find(text, "%f[%a]" .. v .. "%f[%A]")
    if a and (not at or a < at) then at, stop = a, b end
  end
  return at, stop
end

local FLIGHT_VERBS = { "flew", "flown", "flying", "flies", "fly", "landed", "landing", "lands", "land", "arrived", "arriving",
                       "arrives", "touched down", "took off", "departed", "departing", "crossed", "flights? to" }

-- Aircraft to or from places on a date: "A flew from X to Y on D", "B landed at Z three times
-- since D1, most recently on D2", denials included ("no aircraft landed", "denied that … landed").
local function flights(s, doc)
  local memo = tables(doc)
  local text = lower(s.text)
  local verb_at, verb_end = earliest(text, FLIGHT_VERBS)
  if not verb_at then return end
  local list = with_described(s, doc, { "Aircraft", "Base" })
  -- the aircraft: a mention before the verb, else "it"/"the aircraft" of the paragraph
  local craft = nearest_before(list, verb_at, function(m) return has_label(m, "Aircraft") end)
  if not craft then
    for _, m in ipairs(list) do if has_label(m, "Aircraft") then craft = m break end end
  end
  local craft_id = craft and craft.id
  local head = sub(text, 1, verb_at - 1)
  if not craft_id and memo.aircraft and memo.aircraft_para == s.paragraph
      and (text:find("^it ") or head:find("%f[%a]the aircraft%f[%A]") or head:find("%f[%a]the planes?%f[%A]")
           or head:find("%f[%a]the jets?%f[%A]") or head:find("%f[%a]the airlifters?%f[%A]")) then
    craft_id = memo.aircraft
  end
  if not craft_id then
    -- "Karsh fighter jets": a proper modifier and an aircraft word make a new aircraft
    local cap, noun = s.text:match("(%u[%w%-]+)%s+(%a*%s?%a+ jets)")
    if not cap then cap, noun = s.text:match("(%u[%w%-]+)%s+(%a*%s?%a+ aircraft)") end
    for _, n in ipairs({ "aircraft", "jets", "planes", "helicopters", "drones" }) do
      if cap then break end
      -- a bare "Karsh aircraft" names no one aircraft, except in a denial ("no Karsh aircraft landed")
      cap, noun = s.text:match("%f[%a][Nn]o (%u[%w%-]+)%s+(" .. n .. ")%f[%A]")
    end
    if cap and country_of_word(doc, cap) then
      craft = { new = { name = cap .. " " .. noun, type = "Aircraft" } }
    end
  end
  if not craft_id and not craft then return end
  if craft_id then memo.aircraft, memo.aircraft_para = craft_id, s.paragraph end
  local from = craft_id or craft
  local deny, how = negated(s, verb_at, verb_end)
  local pre = sub(text, 1, verb_at - 1)
  if pre:find("%f[%a]no [%w%- ]-aircraft") or pre:find("%f[%a]no [%w%- ]-planes?%f[%A]") or pre:find("%f[%a]no [%w%- ]-jets?%f[%A]")
      or pre:find("%f[%a]no [%w%- ]-flights?%f[%A]") or pre:find("%f[%a]no [%w%- ]-helicopters?%f[%A]") then deny = true end
  local via
  if deny and how == "denier" then
    local d = denier(s, verb_at)
    if d then via = { d } end
  end
  -- the legs: "from X", "to X", "at X", "in X" after the verb (a base in a place stands for it)
  local legs = {}
  local function dest(m)
    if is_base(m) then return m.id end
    local b = memo.base_in[m.id]
    if b then return b end
    return m.id
  end
  for _, m in ipairs(list) do
    if m.id and is_place(m) and m.i > verb_at - 1 and not has_label(m, "Aircraft") then
      local before = lower(sub(s.text, math.max(1, m.i - 12), m.i - 1))
      if before:find("from%s+$") or before:find("from%s+the%s+$") then
        legs[#legs + 1] = { rel = "FLEW_FROM", to = m.id, m = m }
      elseif before:find("to%s+$") or before:find("to%s+the%s+$") or before:find("at%s+$") or before:find("at%s+the%s+$")
          or ((before:find("for%s+$") or before:find("for%s+the%s+$")) and sub(text, verb_at, verb_end):find("^d?e?part") or sub(text, verb_at, verb_end) == "took off")
          or before:find("landed%s+in%s+$") or before:find("into%s+$") or before:find("arrived%s+in%s+$")
          or before:find("bound%s+for%s+$") or before:find("heading%s+for%s+$") or before:find("en%s+route%s+to%s+$") then
        legs[#legs + 1] = { rel = "FLEW_TO", to = dest(m), m = m }
      end
    end
  end
  -- "since D1 … most recently on D2 … N times"
  local count = tonumber(text:match("(%d+) times")) or ({ twice = 2, three = 3, four = 4, five = 5, six = 6 })[text:match("(%a+) times") or ""]
  if text:find("%f[%a]twice%f[%A]") then count = 2 end
  local since_d, recent_d
  for _, d in ipairs(s.dates) do
    local pre = lower(sub(s.text, math.max(1, d.i - 25), d.i - 1))
    if pre:find("since%s+$") then since_d = d end
    if pre:find("recently%s+on%s+$") or pre:find("latest%s+on%s+$") or pre:find("last%s+on%s+$")
        or pre:find("recently%s+on%s+%a+,%s+$") or pre:find("recently,?%s+on%s+%a+,%s+$") then recent_d = d end
  end
  for _, leg in ipairs(legs) do
    local ev = { leg.m }
    if craft and craft.i then ev[#ev + 1] = craft end
    local base = { relation = leg.rel, from = from, to = leg.to, confidence = deny and 0.6 or 0.75, evidence = ev,
                   denied = deny or nil, via = via }
    if count and count > 1 and since_d and recent_d then
      local one = {}
      for k, v in pairs(base) do one[k] = v end
      one.on = recent_d
      one.note = "the latest of several landings"
      emit(s, doc, one)
      local rest = {}
      for k, v in pairs(base) do rest[k] = v end
      rest.since, rest["until"], rest.times = since_d.from, recent_d.to, count - 1
      rest.note = "earlier landings; days not given"
      rest.confidence = 0.6
      emit(s, doc, rest)
    elseif count and count > 1 and since_d then
      base.since, base.times, base.note = since_d, count, "repeated landings"
      emit(s, doc, base)
    else
      local d = recent_d
      if not d then
        for _, x in ipairs(s.dates) do
          if x.from and x.i > verb_at and (not d or math.abs(x.i - leg.m.i) < math.abs(d.i - leg.m.i)) then d = x end
        end
      end
      if not d and not deny then
        for _, x in ipairs(s.dates) do if x.from and x.j < verb_at then d = x end end
      end
      if d then base.on = d end
      base.note = leg.rel == "FLEW_FROM" and "start of a flight" or "a flight leg"
      emit(s, doc, base)
    end
  end
end

-- The item with the highest score (items scored nil are left out) and that score; nil when
-- two items share the highest score.
local function unique_best(items, score)
  local best, best_score, tie
  for _, item in ipairs(items) do
    local n = score(item)
    if n then
      if not best_score or n > best_score then best, best_score, tie = item, n, false
      elseif n == best_score then tie = true end
    end
  end
  if best and not tie then return best, best_score end
  return nil
end

local HEAD_TITLES = { president = true, ["prime minister"] = true, premier = true, king = true, emir = true,
                      chancellor = true, ["head of state"] = true }

-- The government a head of state or government leads: a Government entity named after the
-- country, preferring one that shares the title's modifiers ("transitional").
local function government_of(doc, country, title)
  local memo = tables(doc)
  local names = memo.country_names[country] or {}
  local forms = {}
  for _, n in ipairs(names) do forms[lower(n)] = true end
  for d, c in pairs(memo.demonyms) do if c == country then forms[d] = true end end
  local best = unique_best(kb.find { type = "Government" }, function(g)
    local score = 0
    local ws = words(g.name or "")
    for _, w in ipairs(ws) do if forms[w] then score = score + 2 end end
    if score == 0 then return nil end
    for _, t in ipairs(words(title)) do
      for _, w in ipairs(ws) do if w == t then score = score + 1 end end
    end
    return score
  end)
  return best and best.id
end

-- The ministry of a portfolio in a country: "Russian Foreign Ministry", "Ministry of Defence of Syria".
local function ministry_of(doc, country, portfolio)
  local memo = tables(doc)
  local variants = { portfolio }
  local p = lower(portfolio)
  if p == "defense" then variants[#variants + 1] = "Defence" elseif p == "defence" then variants[#variants + 1] = "Defense" end
  local dems = {}
  for d, c in pairs(memo.demonyms) do if c == country and d:match("n$") or (c == country and d:match("sh$")) then dems[#dems + 1] = d end end
  table.sort(dems)
  for _, v in ipairs(variants) do
    local names = {}
    for _, d in ipairs(dems) do names[#names + 1] = d .. " " .. v .. " Ministry" end
    for _, n in ipairs(memo.country_names[country] or {}) do
      names[#names + 1] = "Ministry of " .. v .. " of " .. n
      names[#names + 1] = n .. "'s " .. v .. " Ministry"
    end
    for _, n in ipairs(names) do
      local hits = kb.find { name = n }
      if #hits == 1 then return hits[1].id end
    end
  end
  return nil
end

-- A ministry named after a country is PART_OF that country's government.
part_of_government = function(s, doc, ministry, country, evidence)
  local gov = government_of(doc, country, "")
  if gov then
    emit(s, doc, { relation = "PART_OF", from = ministry, to = gov, confidence = 0.45, evidence = evidence,
                   note = "a ministry of the country's government" })
  end
end

local LEAD_VERBS = { "leads", "led", "heads", "headed", "chairs", "chaired", "commands", "commanded", "directs", "directed" }

-- "X leads|heads|chairs|commands ORG": X LEADS the organisation.
local function leaders(s, doc)
  local text = lower(s.text)
  for _, v in ipairs(LEAD_VERBS) do
    local a, b = find(text, "%f[%a]" .. v .. "%f[%A]")
    if a then
      local who = nearest_before(s.mentions, a, function(m) return m.id and is_person(m) end)
      local org = mention_after(s.mentions, b + 1, function(m) return m.id and is_org(m) and not is_news(m) end, 6)
      if who and org and #sub(text, who.j + 1, a - 1) < 25 then
        local deny = negated(s, a, b)
        emit(s, doc, { relation = "LEADS", from = who.id, to = org.id, confidence = 0.7, denied = deny or nil, evidence = { who, org },
                       note = "leads the organisation" })
      end
      return
    end
  end
end

-- Offices from titles: "Foreign Minister X" (the ministry of the country before the title),
-- "President X" (the country; and the government it leads), "Commander X of the Y".
local function offices(s, doc)
  for _, m in ipairs(s.mentions) do
    if m.id and is_person(m) and not m.title then
      local after = sub(s.text, m.j + 1, m.j + 70)
      local a, b, who, t = find_apos(after, "^,%s+(%u%a+)@s%s+([%a%s]-[Mm]inister)%f[%A]")
      if not a then a, b, who, t = find_apos(after, "^,%s+(%u%a+)@s%s+([%a%s]-[Pp]resident)%f[%A]") end
      if not a then a, b, who, t = find(after, "^,%s+the%s+(%u%a+)%s+([%a%s]-[Mm]inister)%f[%A]") end
      if not a then a, b, who, t = find(after, "^,%s+the%s+(%u%a+)%s+([%a%s]-[Pp]resident)%f[%A]") end
      if a and #t < 30 then
        local country = country_of_word(doc, who)
        if country then
          local copy = {}
          for k, v in pairs(m) do copy[k] = v end
          copy.title, copy.appositive_country = (t:gsub("^%l", string.upper)), country
          m = copy
        end
      end
    end
    if m.id and is_person(m) and m.title then
      local title = m.title
      local lt = lower(title)
      local country = m.appositive_country or country_before(s, doc, m.title_i or m.i)
      local head = lt:match("(%a+)$")
      local conf = 0.8
      if lt:find("minister$") and not lt:find("prime minister$") then
        local portfolio = title:match("(%a+)%s+[Mm]inister$")
        portfolio = portfolio and portfolio:gsub("^%l", string.upper)
        local deputy = lt:find("deputy") or lt:find("former") or lt:find("acting")
        local ministry = country and portfolio and ministry_of(doc, country, portfolio)
        if ministry then
          emit(s, doc, { relation = "HOLDS_OFFICE", from = m, to = ministry, props = { title = title }, confidence = conf,
                         evidence = { m }, note = "title before the name" })
          part_of_government(s, doc, ministry, country, { m })
          if not deputy then
            emit(s, doc, { relation = "LEADS", from = m, to = ministry, confidence = 0.7, evidence = { m },
                           note = "a minister heads the ministry" })
          end
        end
      elseif country and (HEAD_TITLES[head] or HEAD_TITLES[lt:match("(%a+ %a+)$") or ""]) then
        emit(s, doc, { relation = "HOLDS_OFFICE", from = m, to = country, props = { title = title }, confidence = conf,
                       evidence = { m }, note = "title before the name" })
        local gov = government_of(doc, country, title)
        if gov and not lt:find("former") then
          emit(s, doc, { relation = "LEADS", from = m, to = gov, confidence = 0.65, evidence = { m },
                         note = "heads the country's government" })
          emit(s, doc, { relation = "GOVERNS", from = gov, to = country, confidence = 0.5, evidence = { m },
                         note = "the government its head leads" })
        end
      end
      -- "Commander X of the Y Flotilla": the office in the organisation named after the person
      local rest = sub(s.text, m.j + 1, m.j + 12)
      if rest:find("^ of ") or rest:find("^ of the ") then
        local org = mention_after(s.mentions, m.j + 1, function(o) return o.id and is_org(o) end, 9)
        if org then
          emit(s, doc, { relation = "HOLDS_OFFICE", from = m, to = org, props = { title = title }, confidence = 0.7,
                         evidence = { m, org }, note = "title and organisation around the name" })
        end
      end
    end
  end
end

-- The one person the KB describes (role or title) with this title in this country:
-- "Defense Minister" in Russia finds the person whose role reads "Defence Minister of Russia".
person_by_role = function(doc, title, country)
  local memo = tables(doc)
  local want = {}
  for _, w in ipairs(words(title)) do want[#want + 1] = (w == "defense" and "defen[cs]e") or (w == "defence" and "defen[cs]e") or w end
  local cnames = {}
  for _, n in ipairs(memo.country_names[country] or {}) do cnames[#cnames + 1] = lower(n) end
  for d, c in pairs(memo.demonyms) do if c == country then cnames[#cnames + 1] = d end end
  local hit, count = nil, 0
  for _, p in ipairs(kb.find { type = "Person" }) do
    local text = lower(tostring(p.role or "") .. " " .. tostring(p.title or ""))
    local ok = true
    for _, w in ipairs(want) do if not text:find("%f[%a]" .. w .. "%f[%A]") then ok = false break end end
    local in_country = false
    for _, c in ipairs(cnames) do if text:find("%f[%a]" .. c:gsub("%-", "%%-") .. "%f[%A]") then in_country = true break end end
    if ok and in_country then hit, count = p, count + 1 end
  end
  if count == 1 then return hit end
  return nil
end

local MEETING = { "met with", "met", "meets", "meeting with", "held talks with", "talks with", "talks between", "hosted",
                  "received", "welcomed", "paid an? %a*%s?visit to", "visited", "visit to", "arrived in" }

-- An Event of the KB for a meeting: on the same date (its `date`), or naming the participants.
local function find_event(doc, date, people, kind, span)
  local best = unique_best(kb.find { type = "Event" }, function(e)
    local score = 0
    local when = e.date and tostring(e.date)
    if date and when == date then score = score + 3 end
    -- a date of the sentence (any precision) the event's date does not fall in rules it out
    local ruled_out = date and when and when ~= date
    if span and type(e.date) == "userdata" and not e.date:overlaps(span) then ruled_out = true end
    local ws = {}
    for _, w in ipairs(words(e.name or "")) do ws[w] = true end
    local named = {}
    for _, p in ipairs(people) do
      local last = lower((p.name or p.text):match("([%w%-']+)$") or "")
      if ws[last] and not named[last] then named[last] = true; score = score + 1 end
    end
    local labels = table.concat(e.labels or {}, " ")
    if kind and labels:find(kind) then score = score + 1 end
    if not ruled_out and score >= 3 then return score end
    return nil
  end)
  return best and best.id
end

-- Meetings: who met whom, where, when. Participants PARTICIPATED_IN the meeting (an Event
-- of the KB on that date, or a new one), which TOOK_PLACE_IN the place.
local function meetings(s, doc)
  local memo = tables(doc)
  local text = lower(s.text)
  local at, stop = earliest(text, MEETING)
  if not at then return end
  local people = {}
  local subject = nearest_before(s.mentions, at, function(m) return is_person(m) and m.id end)
  if not subject and memo.person and memo.person_para == s.paragraph and (text:find("^he ") or text:find("^she ")) then
    subject = { id = memo.person, name = memo.person_name }
  end
  if subject then people[#people + 1] = subject end
  -- "A and B met": earlier subjects joined by "and" or a comma
  local head = subject
  while head and head.i do
    local prev = nearest_before(s.mentions, head.i, function(m) return is_person(m) and m.id end)
    if not prev then break end
    local gap = sub(s.text, prev.j + 1, head.i - 1)
    if not (gap:find("^%s*,?%s*and%s") or gap:find("^,%s")) or #gap > 40 then break end
    people[#people + 1] = prev
    head = prev
  end
  -- the people met: persons after the verb, up to the end of the clause
  for _, m in ipairs(s.mentions) do
    if m.i > stop and m.id and is_person(m) and (not subject or m.id ~= subject.id) then
      local gap = lower(sub(s.text, stop + 1, m.i - 1))
      if not gap:find("[;]") and not gap:find("said") and #gap < 60 then people[#people + 1] = m end
    end
  end
  if #people == 0 then return end
  -- "his Russian counterpart": the person the KB describes with the subject's title in that country
  local counterpart
  local cdem = sub(s.text, stop + 1):match("%f[%a][Hh]i?[se]r?%s+(%u%a+)%s+counterpart")
      or sub(s.text, stop + 1):match("%f[%a][Tt]heir%s+(%u%a+)%s+counterparts?")
  if cdem and subject and subject.title then
    local c = country_of_word(doc, cdem)
    counterpart = c and person_by_role(doc, subject.title, c)
    if counterpart then
      people[#people + 1] = { id = counterpart.id, name = counterpart.name }
      local portfolio = subject.title:match("(%u%a+)%s+[Mm]inister$")
      local ministry = portfolio and ministry_of(doc, c, portfolio)
      if ministry then
        emit(s, doc, { relation = "HOLDS_OFFICE", from = counterpart.id, to = ministry, props = { title = subject.title },
                       confidence = 0.55, evidence = {}, note = "the counterpart's office" })
        emit(s, doc, { relation = "LEADS", from = counterpart.id, to = ministry, confidence = 0.5, evidence = {},
                       note = "the counterpart heads the ministry" })
      end
    end
  end
  -- the place: "in X" or "visit to X" after the verb (a city before a country)
  local place
  for _, m in ipairs(s.mentions) do
    if m.i > at and m.id and is_place(m) then
      local before = lower(sub(s.text, math.max(1, m.i - 10), m.i - 1))
      local at_base = is_base(m) and (before:find("%f[%a]at%s+$") or before:find("%f[%a]at%s+the%s+$"))
      if at_base or not is_base(m) and (before:find("in%s+$") or before:find("visit%s+to%s+$") or before:find("trip%s+to%s+$")
          or before:find("to%s+$") or before:find("visited%s+$")) then
        if not place or (is_country(place) and not is_country(m)) then place = place or m end
        if not place then place = m end
        break
      end
    end
  end
  local date, span = nil, nil
  for _, d in ipairs(s.dates) do
    if d.precision == "day" and not date then date = d end
    if d.from and not span then span = d.from end
  end
  local event = find_event(doc, date and date.from, people, "Meeting", span)
  if not event and date then
    local names = {}
    for _, p in ipairs(people) do names[#names + 1] = (p.name or p.text):match("([%w%-']+)$") end
    event = { new = { name = table.concat(names, "–") .. " meeting" .. (place and (" in " .. place.text) or "") .. " (" .. date.from .. ")",
                      type = "Event" } }
  end
  if not event then
    if #people < 2 then return end
    -- an undated meeting of two known people: the KB's meeting of theirs, if any
    event = find_event(doc, nil, people, "Meeting", span)
    if not event then return end
  end
  memo.event, memo.event_para, memo.event_people = event, s.paragraph, {}
  for _, p in ipairs(people) do memo.event_people[p.id] = true end
  local deny = negated(s, at, stop)
  for _, p in ipairs(people) do
    emit(s, doc, { relation = "PARTICIPATED_IN", from = p.id, to = event, on = date, confidence = 0.75, denied = deny or nil,
                   evidence = p.i and { p } or {}, note = "took part in the meeting" })
  end
  if place and date then
    emit(s, doc, { relation = "TOOK_PLACE_IN", from = event, to = place, on = date, confidence = 0.7, denied = deny or nil,
                   evidence = { place }, note = "where the meeting was held" })
  end
end

local SAY = { "said", "says", "told", "stated", "announced", "declared", "added", "noted", "stressed", "claimed" }

-- Statements: "X said …" makes X a participant of a statement event the KB holds (one whose
-- name holds the speaker's name and best matches the sentence); what the statement is about
-- (organisations, governments, places named after the verb) is DISCUSSED by it.
local function statements(s, doc)
  local memo = tables(doc)
  local text = lower(s.text)
  local at, stop = earliest(text, SAY)
  local speaker = at and nearest_before(s.mentions, at, function(m) return m.id and is_person(m) end)
  if at and not speaker and memo.person and memo.person_para == s.paragraph and (text:find("^he ") or text:find("^she ")) then
    speaker = { id = memo.person, name = memo.person_name }
  end
  -- remember the paragraph's person for "he"/"she"
  local first = nil
  for _, m in ipairs(s.mentions) do if m.id and is_person(m) then first = m break end end
  if first then memo.person, memo.person_name, memo.person_para = first.id, first.name or first.text, s.paragraph end
  if not speaker or not at then return end
  -- the statement events of the KB that name the speaker, best matched by the sentence's names
  local last = lower((speaker.name or speaker.text or ""):match("([%w%-']+)$") or "")
  local sentence_words = {}
  for _, m in ipairs(s.mentions) do
    for _, w in ipairs(words(m.name or m.text)) do sentence_words[w] = true end
    for _, w in ipairs(words(m.text)) do sentence_words[w] = true end
  end
  local best, best_score = unique_best(kb.find { type = "Event" }, function(e)
    local labels = table.concat(e.labels or {}, " ")
    local ws = words(e.name or "")
    local names_speaker = false
    for _, w in ipairs(ws) do if w == last then names_speaker = true end end
    if not (names_speaker and (labels:find("Statement") or lower(tostring(e.kind or "")):find("statement"))) then return nil end
    local score = 0
    for _, w in ipairs(ws) do if w ~= last and sentence_words[w] then score = score + 1 end end
    return score
  end)
  if not best or best_score < 1 then return end
  memo.statement = memo.statement or {}
  memo.statement[s.index] = best.id
  emit(s, doc, { relation = "PARTICIPATED_IN", from = speaker.id, to = best.id, confidence = 0.6,
                 evidence = speaker.i and { speaker } or {}, note = "the speaker of the statement" })
  for _, m in ipairs(s.mentions) do
    if m.i > stop and m.id and (has_label(m, "Government") or has_label(m, "Ministry")) and not is_news(m) then
      emit(s, doc, { relation = "DISCUSSED", from = best.id, to = m.id, confidence = 0.5, evidence = { m },
                     note = "named in the statement" })
    end
  end
end

local OPERATE = { "operates", "operated", "operating", "maintains", "maintained", "keeps", "kept", "runs", "controls",
                  "controlled", "has relied on", "relied on", "relies on", "depends on", "leans on", "uses" }

-- Operators: "COUNTRY operates|maintains|keeps BASE…" (every base after the verb), "COUNTRY
-- relied on its BASES" (RELIES_ON too), "a DEMONYM Air Force AIRCRAFT" (the country
-- operates the aircraft).
local function operators(s, doc)
  local text = lower(s.text)
  local list = with_described(s, doc, { "Base" })
  for _, v in ipairs(OPERATE) do
    local a, b = find(text, "%f[%a]" .. v .. "%f[%A]")
    if a then
      local subj = nearest_before(s.mentions, a, function(m) return as_country(doc, m) ~= nil or (m.id and is_org(m) and not is_news(m)) end)
      local who = subj and (as_country(doc, subj) or subj.id)
      if who then
        local relies = v:find("on$") ~= nil
        for _, m in ipairs(list) do
          if m.i > b and m.id and is_base(m) then
            local deny = negated(s, a, b)
            local own = not relies or sub(text, b + 1, m.i - 1):find("%f[%a]its%f[%A]") or sub(text, b + 1, m.i - 1):find("%f[%a]their%f[%A]")
            if own then
              local memo = tables(doc)
              memo.operates = memo.operates or {}
              memo.operates[who] = memo.operates[who] or {}
              memo.operates[who][m.id] = true
              emit(s, doc, { relation = "OPERATES", from = who, to = m.id, confidence = relies and 0.55 or 0.75,
                             denied = deny or nil, evidence = { subj, m }, note = relies and "its bases, relied on" or "operates the base" })
            end
            if relies then
              emit(s, doc, { relation = "RELIES_ON", from = who, to = m.id, confidence = 0.65, evidence = { subj, m },
                             note = "relies on it" })
            end
          end
        end
      end
      break
    end
  end
  -- aircraft named with a country's demonym ("a Velorian Navy patrol plane"), or
  -- counted in the paragraph as a country's ("two Russian aircraft … the first … a second …")
  local memo = tables(doc)
  local num, dem = s.text:match("(%a+) (%u%a+) aircraft")
  if not num then num, dem = s.text:match("(%a+) (%u%a+) planes") end
  local NUMBERS = { two = true, three = true, four = true, five = true, several = true, many = true, some = true }
  if num and NUMBERS[lower(num)] and country_of_word(doc, dem) then
    memo.fleet, memo.fleet_para = country_of_word(doc, dem), s.paragraph
  end
  for _, m in ipairs(with_described(s, doc, { "Aircraft" })) do
    if m.id and has_label(m, "Aircraft") then
      local first = m.text:match("^(%u%a+)") or (sub(s.text, 1, m.i - 1):match("(%u%a+)%s+$"))
      local c = first and country_of_word(doc, first)
      local conf = 0.6
      if not c and memo.fleet and memo.fleet_para == s.paragraph then c, conf = memo.fleet, 0.5 end
      if c then
        emit(s, doc, { relation = "OPERATES", from = c, to = m.id, confidence = conf, evidence = { m },
                       note = "the aircraft is named, or counted, as the country's" })
      end
    end
  end
end

-- Places: "BASE in PLACE", "CITY in REGION", "BASE (on PLACE)": the first LOCATED_IN the
-- second. Remembers which base lies in which place (a flight "to Latakia" lands at it).
local function places(s, doc)
  local memo = tables(doc)
  local list = with_described(s, doc, { "Base" })
  for k, m in ipairs(list) do
    if m.id and is_place(m) and not is_country(m) then
      local rest = sub(s.text, m.j + 1, m.j + 8)
      local target
      if m.place then
        target = m.place
      elseif rest:find("^ in ") or rest:find("^ near ") or rest:find("^ outside ") or rest:find("^, in ") then
        target = mention_after(s.mentions, m.j + 1, function(o) return o.id and is_place(o) and o.id ~= m.id end, 6)
      end
      -- "PLACE (on Z)", "PLACE (Z)": the place lies in Z
      local paren = sub(s.text, m.j + 1, m.j + 6)
      if not m.place and (paren:find("^ %(on ") or paren:find("^ %(in ") or paren:find("^ %(")) then
        local z = mention_after(s.mentions, m.j + 1, function(o) return o.id and is_place(o) and o.id ~= m.id end, 10)
        if z and not is_base(z) and find(sub(s.text, z.j + 1, z.j + 1), "^%)") then
          emit(s, doc, { relation = "LOCATED_IN", from = m.id, to = z.id, confidence = 0.55, evidence = { m, z },
                         note = "placed in the text (in brackets)" })
        end
      end
      if target then
        emit(s, doc, { relation = "LOCATED_IN", from = m.id, to = target.id, confidence = 0.7, evidence = { m, target },
                       note = "placed in the text" })
        if is_base(m) then memo.base_in[target.id] = m.id end
        -- "(on Z)" right after the place: in Z as well
        local after = sub(s.text, target.j + 1, target.j + 8)
        if after:find("^ %(on ") or after:find("^ %(in ") then
          local z = mention_after(s.mentions, target.j + 1, function(o) return o.id and is_place(o) end, 9)
          if z and z.id ~= m.id then
            emit(s, doc, { relation = "LOCATED_IN", from = m.id, to = z.id, confidence = 0.6, evidence = { m, z },
                           note = "placed in the text" })
          end
        end
      end
    end
  end
end

-- Ministries: a ministry named after a country ("Syria's Information Ministry", "Russian
-- Defence Ministry") is PART_OF that country's government.
local function ministries(s, doc)
  local memo = tables(doc)
  for _, m in ipairs(s.mentions) do
    if m.id and has_label(m, "Ministry") then
      local country = country_before(s, doc, m.i)
      local first = (m.name or m.text):match("^(%a+)")
      country = country or (first and country_of_word(doc, first))
      if not country then
        local of = (m.name or ""):match("of (%u%a+)$")
        country = of and country_of_word(doc, of)
      end
      if country then part_of_government(s, doc, m.id, country, { m }) end
    end
  end
end

-- Requests for comment: "X did not respond to Y's request for comment": Y and each X took
-- part in the request (an Event of the KB labelled CommentRequest, or a new one).
local function comment_requests(s, doc)
  local text = lower(s.text)
  local a = find(text, "request for comment") or find(text, "requests for comment")
  if not a then return end
  local asker
  for _, m in ipairs(s.mentions) do
    if m.id and is_org(m) and m.i < a and find_apos(lower(sub(s.text, m.j + 1, a - 1)), "^@s%s*$") then asker = m end
  end
  if not asker then return end
  local event
  for _, e in ipairs(kb.find { type = "Event" }) do
    local labels = table.concat(e.labels or {}, " ")
    if labels:find("CommentRequest") and lower(e.name or ""):find(lower(asker.name or asker.text), 1, true) then event = e.id end
  end
  event = event or { new = { name = (asker.name or asker.text) .. " request for comment", type = "Event" } }
  emit(s, doc, { relation = "PARTICIPATED_IN", from = asker.id, to = event, confidence = 0.6, evidence = { asker },
                 note = "asked for comment" })
  -- the ones asked: organisations before the verb, and "COUNTRY's A and B Ministries"
  for _, m in ipairs(s.mentions) do
    if m.id and m.i < a and m ~= asker and (has_label(m, "Ministry") or has_label(m, "Government")) then
      emit(s, doc, { relation = "PARTICIPATED_IN", from = m.id, to = event, confidence = 0.55, evidence = { m },
                     note = "asked for comment, did not answer" })
    end
  end
  local country_word, p1, p2 = match_apos(s.text, "(%u%a+)@s (%u%a+) and (%u%a+) Ministries")
  if country_word then
    local c = country_of_word(doc, country_word)
    for _, p in ipairs({ p1, p2 }) do
      local min = c and ministry_of(doc, c, p)
      if min then
        emit(s, doc, { relation = "PARTICIPATED_IN", from = min, to = event, confidence = 0.5, evidence = {},
                       note = "asked for comment, did not answer" })
        part_of_government(s, doc, min, c, {})
      end
    end
  end
end

local TOPIC_CUES = { "discussed", "discuss", "discussing", "covered", "focused on", "including", "among them", "on the agenda",
                     "talks on", "talked about" }

-- Topics: what a meeting or a statement was about. The event is the sentence's statement (a
-- Statement event the statements extractor found), else the document's last meeting when
-- the sentence speaks of "the talks" / "the meeting" or its subject took part in it. What it
-- DISCUSSED: the places, bases, countries and organisations named after the cue, and "the
-- DEMONYM bases" (the bases the document or the KB says that country operates).
local function topics(s, doc)
  local memo = tables(doc)
  local text = lower(s.text)
  local at
  for _, c in ipairs(TOPIC_CUES) do
    local a = find(text, "%f[%a]" .. c .. "%f[%A]")
    if a and (not at or a < at) then at = a end
  end
  if not at then return end
  local event = memo.statement and memo.statement[s.index]
  if not event and memo.event then
    local definite = text:find("%f[%a]the talks%f[%A]") or text:find("%f[%a]the meeting%f[%A]") or text:find("%f[%a]the summit%f[%A]")
    local subject = nearest_before(s.mentions, at, function(m) return m.id and is_person(m) end)
    if definite or (subject and memo.event_people and memo.event_people[subject.id] and memo.event_para == s.paragraph) then
      event = memo.event
    end
  end
  if not event then return end
  local seen = {}
  local function discussed(id, ev, note, conf)
    if seen[id] or (memo.event_people and memo.event_people[id]) then return end
    seen[id] = true
    emit(s, doc, { relation = "DISCUSSED", from = event, to = id, confidence = conf, evidence = ev, note = note })
  end
  for _, m in ipairs(s.mentions) do
    if m.i > at and m.id and (is_place(m) or (is_org(m) and not is_news(m))) then
      discussed(m.id, { m }, "named as a topic", 0.55)
    end
  end
  for dem in gmatch(sub(s.text, at), "[Tt]he (%u%a+) bases") do
    local c = country_of_word(doc, dem)
    if c then
      local bases = {}
      for b in pairs((memo.operates or {})[c] or {}) do bases[#bases + 1] = b end
      local country = kb.get(c)
      for _, r in ipairs(country and country:out("OPERATES") or {}) do
        if r.to.type == "Base" then bases[#bases + 1] = r.to.id end
      end
      table.sort(bases)
      for _, b in ipairs(bases) do discussed(b, {}, "one of the country's bases, discussed together", 0.4) end
    end
  end
end

-- Alliances: "X's ally Y", "Y, an ally of X": Y ALLY_OF X.
local function alliances(s, doc)
  local text = lower(s.text)
  local a, b = find_apos(text, "@s ally ")
  if a then
    local owner = nearest_before(s.mentions, a + 1, function(m) return m.id ~= nil end)
    local ally = mention_after(s.mentions, b + 1, function(m) return m.id and (is_person(m) or is_country(m) or is_org(m)) end, 2)
    local c = owner and (as_country(doc, owner) or owner.id)
    if c and ally and ally.id ~= c then
      emit(s, doc, { relation = "ALLY_OF", from = ally.id, to = c, confidence = 0.6, evidence = { owner, ally },
                     note = "called an ally" })
    end
  end
end

return {
  name = "extract_news",
  version = "1.0",
  description = "Proposes facts from news sentences for review: flights, meetings, offices, operators, places, relays, denials",
  extractors = {
    relays = relays,
    flights = flights,
    offices = offices,
    meetings = meetings,
    statements = statements,
    operators = operators,
    places = places,
    comment_requests = comment_requests,
    leaders = leaders,
    ministries = ministries,
    alliances = alliances,
    topics = topics,
  },
}
