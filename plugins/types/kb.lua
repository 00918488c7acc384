---@meta
-- LuaLS annotations for the Mosaic plugin API (the `kb` table and the spec a plugin returns).
-- Point your editor's Lua language server at plugins/types (workspace.library) for completion
-- and type checks. See docs/plugins.md.

---@alias kb.DateLike kb.Date|string  a Date or text like "2025", "2025-10", "2025-10-29"
---@alias kb.EntityLike kb.Entity|string  an entity handle or its id

---A date with its precision (year, month, day, minute, second). Compare with < <= ==
---(by start, then precision); add or subtract whole days with + and -; date - date gives days.
---@class kb.Date
---@field year integer
---@field month integer|nil nil when the precision is year
---@field day integer|nil nil when the precision is year or month
---@field precision "year"|"month"|"day"|"minute"|"second"
---@operator add(integer): kb.Date
---@operator sub(integer): kb.Date
---@operator sub(kb.Date): integer
local Date = {}
---True when this date lies wholly before `other` (2025-10 is not before 2025-10-29).
---@param other kb.DateLike
---@return boolean
function Date:before(other) end
---True when this date lies wholly after `other`.
---@param other kb.DateLike
---@return boolean
function Date:after(other) end
---@param other kb.DateLike
---@return boolean
function Date:overlaps(other) end
---True when every instant of `other` lies within this date.
---@param other kb.DateLike
---@return boolean
function Date:contains(other) end
---Days from this date's start to `other`'s start.
---@param other kb.DateLike
---@return integer
function Date:days_to(other) end
---@param days integer
---@return kb.Date
function Date:add_days(days) end
---@param precision "year"|"month"|"day"|"minute"|"second"
---@return kb.Date
function Date:truncate(precision) end

---An entity of the knowledge base. Properties are fields too: `base.country`.
---@class kb.Entity
---@field id string the stable id, e.g. "hmeimim-air-base"
---@field type string its type, e.g. "Base"
---@field name string|nil
---@field aliases string[]
---@field labels string[]
---@field properties table<string, any>
---@field [string] any a property value (nil when absent)
local Entity = {}
---Relations leaving this entity, optionally of one type, in a stable order.
---@param reltype? string
---@return kb.Relation[]
function Entity:out(reltype) end
---Relations arriving at this entity, optionally of one type.
---@param reltype? string
---@return kb.Relation[]
function Entity:inn(reltype) end
---Entities linked to this one in either direction (each once), optionally by one type.
---@param reltype? string
---@return kb.Entity[]
function Entity:neighbors(reltype) end
---@return integer
function Entity:degree() end

---@class kb.Citation
---@field source string the article id
---@field note string|nil the analyst's note
---@field title string|nil the article's title when the KB has it

---A relation (a statement) between two entities. Its properties are fields too.
---@class kb.Relation
---@field id integer the statement id (what `mosaic why` takes)
---@field type string e.g. "FLEW_TO"
---@field from kb.Entity
---@field to kb.Entity
---@field valid_from kb.Date|nil
---@field valid_to kb.Date|nil
---@field sources kb.Citation[]
---@field grading string|nil Admiralty grading, e.g. "B2"
---@field confidence number 0..1
---@field origin string e.g. "kb/flights.yaml:44" or "plugin:name@1.0"
---@field derived boolean
---@field properties table<string, any>
---@field [string] any a property value

---@class kb.FindOptions
---@field type? string entity type
---@field name? string name or alias (case, accents and punctuation ignored)
---@field where? table<string, any>|fun(e: kb.Entity): boolean property values to match, or a predicate
---@field limit? integer

---@class kb.AssertSpec
---@field entity? kb.EntityLike the entity (a new one needs `type`), or the subject of `property`
---@field type? string entity type, or relation type with from/to
---@field name? string
---@field aliases? string[]
---@field from? kb.EntityLike
---@field to? kb.EntityLike
---@field property? string
---@field value? any
---@field properties? table<string, any>
---@field valid_from? kb.DateLike
---@field valid_to? kb.DateLike
---@field sources? (string|{source: string, note?: string})[]
---@field grading? string e.g. "B2"
---@field confidence? number

---@class kb.SearchHit
---@field id string
---@field entity kb.Entity|nil
---@field field string
---@field snippet string

---@class kb
---@field plugin string this plugin's name
---@field version string this plugin's version
kb = {}

---The entity with this id, or nil.
---@param id string
---@return kb.Entity|nil
function kb.get(id) end

---Entities matching all the options, in a stable order (an array: fine for large scans).
---@param options? kb.FindOptions
---@return kb.Entity[]
function kb.find(options) end

---Generic-for over entities: `for e in kb.each("Base") do ... end`.
---@param filter? string|kb.FindOptions a type or find options
---@return fun(): kb.Entity|nil
function kb.each(filter) end

---All relations of a type, in statement order (an array).
---@param reltype string
---@return kb.Relation[]
function kb.relations(reltype) end

---Generic-for over the relations of a type.
---@param reltype string
---@return fun(): kb.Relation|nil
function kb.each_relation(reltype) end

---The endpoints of every relation of a type as two arrays of ids (the fastest scan);
---with "from" or "to", only that array.
---@param reltype string
---@param which? "from"|"to"
---@return string[] from_or_to
---@return string[]|nil to
function kb.edges(reltype, which) end

---Full-text search over article titles, notes and names, best first.
---@param text string
---@param limit? integer default 50
---@return kb.SearchHit[]
function kb.search(text, limit) end

---Runs a read-only query (the query language) with parameters; rows keyed by column.
---@param text string
---@param params? table<string, any>
---@return table<string, any>[]
function kb.query(text, params) end

---Parses a date keeping its precision: kb.date("2025-10").
---@param text kb.DateLike
---@return kb.Date
function kb.date(text) end

---The engine clock (fixed in tests and scheduled runs), as a Date with second precision.
---@return kb.Date
function kb.now() end

---Buffers a new statement; all of a run's writes commit as one transaction when it succeeds.
---@param spec kb.AssertSpec
function kb.assert(spec) end

---Buffers a retraction: a relation, an entity's property, or a statement id.
---@param target kb.Relation|kb.Entity|integer
---@param property? string with an entity
function kb.retract(target, property) end

---Writes a line to the run's log (print does the same).
---@param ... any
function kb.log(...) end

---Seeded random numbers (math.random is the same generator): (), (m) or (m, n).
---@param m? integer
---@param n? integer
---@return number
function kb.random(m, n) end

---pairs() in a stable order (keys sorted).
---@generic K, V
---@param t table<K, V>
---@return fun(): K, V
function kb.spairs(t) end

---@class kb.Param
---@field type "string"|"integer"|"number"|"boolean"|"date"
---@field default? any
---@field description? string

---What a plugin file returns.
---@class kb.PluginSpec
---@field name string must equal the file name
---@field version string
---@field description? string
---@field params? table<string, kb.Param|string|number|boolean>
---@field rules? table
---@field reports? table
---@field schedule? string cron line or @daily
---@field run? fun(params: table<string, any>, kb: kb): any


-- Extractors (docs/ingest.md): `extractors = { name = function(sentence, doc) … end }`.

---@class extract.Mention
---@field id string|nil the entity, when one bears the name
---@field type string|nil the entity's type
---@field labels string[]|nil its labels, with the schema's ancestors
---@field name string|nil its KB name
---@field candidates string[] the entities that bear the name, when several do
---@field text string the text in the sentence
---@field kind "name"|"partial"|"near_miss"|"new"
---@field title string|nil a title before a person's name
---@field title_i integer|nil where the title starts in the sentence
---@field new_type string|nil a proposed new entity's guessed type
---@field i integer first byte in the sentence (1-based)
---@field j integer last byte in the sentence
---@field start integer byte offset in the document
---@field stop integer byte offset in the document (exclusive)

---@class extract.Date
---@field value string|nil "2025-10-29", "2025-10", or "FROM/TO" for a range
---@field from string|nil
---@field to string|nil
---@field precision "day"|"month"|"year"|"range"
---@field text string
---@field relative boolean
---@field i integer
---@field j integer
---@field start integer
---@field stop integer

---@class extract.Sentence
---@field text string
---@field index integer from 1
---@field paragraph integer from 1
---@field start integer
---@field stop integer
---@field mentions extract.Mention[]
---@field dates extract.Date[]

---@class extract.Doc
---@field source string the article's id
---@field publisher string|nil
---@field date string|nil
---@field title string|nil
---@field memo table shared by the document's sentences

---@class extract.Proposal
---@field relation string
---@field from string|extract.Mention|{new: {name: string, type: string}}
---@field to string|extract.Mention|{new: {name: string, type: string}}
---@field on kb.DateLike|extract.Date|nil
---@field since kb.DateLike|extract.Date|nil
---@field until kb.DateLike|extract.Date|nil
---@field denied boolean|nil
---@field confidence number|nil 0–1 (default 0.5)
---@field evidence (extract.Mention|{start: integer, stop: integer})[]|nil
---@field via string[]|nil outlets, nearest first
---@field props table<string, string>|nil
---@field times integer|nil
---@field note string|nil

--- Proposes a fact for review (extractors only).
---@param fact extract.Proposal
function propose(fact) end
