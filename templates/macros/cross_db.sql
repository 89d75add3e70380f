{#- gluec's library: dbt's cross-database helpers (dbt.type_string(), dbt.concat(...),
    dbt.hash(...), ...) as Glue's Spark SQL spells them. Each public name dispatches
    through the 'dbt' namespace, so a project or package overrides one by defining
    glue__<name>, spark__<name> or default__<name>. Types are Spark's: string, not text;
    decimal, not numeric. -#}

{#- ------------------------------------------------------------------ types -#}

{%- macro type_string() -%}{{ return(adapter.dispatch('type_string', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_string() -%}{{ return('string') }}{%- endmacro -%}

{%- macro type_timestamp() -%}{{ return(adapter.dispatch('type_timestamp', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_timestamp() -%}{{ return('timestamp') }}{%- endmacro -%}

{%- macro type_float() -%}{{ return(adapter.dispatch('type_float', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_float() -%}{{ return('float') }}{%- endmacro -%}

{#- Spark has no numeric: dbt asks for numeric(28, 6) and Spark calls it decimal. -#}
{%- macro type_numeric() -%}{{ return(adapter.dispatch('type_numeric', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_numeric() -%}{{ return('decimal(28,6)') }}{%- endmacro -%}

{%- macro type_bigint() -%}{{ return(adapter.dispatch('type_bigint', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_bigint() -%}{{ return('bigint') }}{%- endmacro -%}

{%- macro type_int() -%}{{ return(adapter.dispatch('type_int', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_int() -%}{{ return('integer') }}{%- endmacro -%}

{%- macro type_boolean() -%}{{ return(adapter.dispatch('type_boolean', 'dbt')()) }}{%- endmacro -%}
{%- macro default__type_boolean() -%}{{ return('boolean') }}{%- endmacro -%}

{#- ------------------------------------------------------------- timestamps -#}

{%- macro current_timestamp() -%}{{ adapter.dispatch('current_timestamp', 'dbt')() }}{%- endmacro -%}
{%- macro default__current_timestamp() -%}current_timestamp(){%- endmacro -%}

{#- A literal date from three numbers; a date that does not exist is a compile error. -#}
{%- macro date(year, month, day) -%}{{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}{%- endmacro -%}
{%- macro default__date(year, month, day) -%}
    {%- set days_in = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28,
                       31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= days_in[month - 1]) -%}
        {{ exceptions.raise_compiler_error("date(" ~ year ~ ", " ~ month ~ ", " ~ day ~ ") is not a date") }}
    {%- endif -%}
    to_date('{{ '%04d-%02d-%02d' % (year, month, day) }}', 'yyyy-MM-dd')
{%- endmacro -%}

{%- macro date_trunc(datepart, date) -%}{{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}{%- endmacro -%}
{%- macro default__date_trunc(datepart, date) -%}date_trunc('{{ datepart }}', {{ date }}){%- endmacro -%}

{#- ----------------------------------------------------------------- casts -#}

{%- macro cast(field, type) -%}{{ return(adapter.dispatch('cast', 'dbt')(field, type)) }}{%- endmacro -%}
{%- macro default__cast(field, type) -%}cast({{ field }} as {{ type }}){%- endmacro -%}

{#- Spark cannot cast a string literal to a struct, array or map: a quoted literal
    given for one of those types is unquoted first. -#}
{%- macro safe_cast(field, type) -%}{{ return(adapter.dispatch('safe_cast', 'dbt')(field, type)) }}{%- endmacro -%}
{%- macro default__safe_cast(field, type) -%}
    {%- set complex = type.lower().startswith('struct') or type.lower().startswith('array')
                      or type.lower().startswith('map') -%}
    cast({{ field.strip('"').strip("'") if (complex and field is string) else field }} as {{ type }})
{%- endmacro -%}

{%- macro cast_bool_to_text(field) -%}{{ adapter.dispatch('cast_bool_to_text', 'dbt')(field) }}{%- endmacro -%}
{%- macro default__cast_bool_to_text(field) -%}cast({{ field }} as string){%- endmacro -%}

{#- --------------------------------------------------------------- strings -#}

{%- macro concat(fields) -%}{{ return(adapter.dispatch('concat', 'dbt')(fields)) }}{%- endmacro -%}
{%- macro default__concat(fields) -%}concat({{ fields | join(', ') }}){%- endmacro -%}

{%- macro hash(field) -%}{{ return(adapter.dispatch('hash', 'dbt')(field)) }}{%- endmacro -%}
{%- macro default__hash(field) -%}md5(cast({{ field }} as string)){%- endmacro -%}

{%- macro string_literal(value) -%}{{ return(adapter.dispatch('string_literal', 'dbt')(value)) }}{%- endmacro -%}
{%- macro default__string_literal(value) -%}'{{ value }}'{%- endmacro -%}

{#- Spark escapes a quote inside a literal with a backslash: they're -> they\'re. -#}
{%- macro escape_single_quotes(expression) -%}{{ return(adapter.dispatch('escape_single_quotes', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__escape_single_quotes(expression) -%}{{ expression | replace("'", "\\'") }}{%- endmacro -%}

{%- macro replace(field, old_chars, new_chars) -%}{{ return(adapter.dispatch('replace', 'dbt')(field, old_chars, new_chars)) }}{%- endmacro -%}
{%- macro default__replace(field, old_chars, new_chars) -%}replace({{ field }}, {{ old_chars }}, {{ new_chars }}){%- endmacro -%}

{%- macro length(expression) -%}{{ return(adapter.dispatch('length', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__length(expression) -%}length({{ expression }}){%- endmacro -%}

{%- macro position(substring_text, string_text) -%}{{ return(adapter.dispatch('position', 'dbt')(substring_text, string_text)) }}{%- endmacro -%}
{%- macro default__position(substring_text, string_text) -%}position({{ substring_text }} in {{ string_text }}){%- endmacro -%}

{%- macro right(string_text, length_expression) -%}{{ return(adapter.dispatch('right', 'dbt')(string_text, length_expression)) }}{%- endmacro -%}
{%- macro default__right(string_text, length_expression) -%}right({{ string_text }}, {{ length_expression }}){%- endmacro -%}

{#- Spark's split() takes a regular expression: a delimiter that starts with anything
    but a letter, digit or underscore is escaped. Parts count from 1; a negative part
    counts from the end. -#}
{%- macro split_part(string_text, delimiter_text, part_number) -%}{{ return(adapter.dispatch('split_part', 'dbt')(string_text, delimiter_text, part_number)) }}{%- endmacro -%}
{%- macro default__split_part(string_text, delimiter_text, part_number) -%}
    {%- set pattern -%}
        case when regexp_extract({{ delimiter_text }}, '([^A-Za-z0-9])(.*)', 1) != '_' then concat('\\', {{ delimiter_text }}) else {{ delimiter_text }} end
    {%- endset -%}
    {%- if part_number >= 0 -%}
        {%- set index = part_number - 1 if part_number > 0 else part_number -%}
    {%- else -%}
        {%- set index -%}
            length({{ string_text }}) - length(replace({{ string_text }}, {{ delimiter_text }}, '')) + 1 + {{ part_number }}
        {%- endset -%}
    {%- endif -%}
    {{ return('split(' ~ string_text ~ ', ' ~ pattern ~ ')[(' ~ index ~ ')]') }}
{%- endmacro -%}

{#- -------------------------------------------------------------- set ops -#}

{%- macro except() -%}{{ return(adapter.dispatch('except', 'dbt')()) }}{%- endmacro -%}
{%- macro default__except() -%}except{%- endmacro -%}

{%- macro intersect() -%}{{ return(adapter.dispatch('intersect', 'dbt')()) }}{%- endmacro -%}
{%- macro default__intersect() -%}intersect{%- endmacro -%}

{#- ------------------------------------------------------------ aggregates -#}

{#- Spark's first() returns some value of the group, as any_value does elsewhere. -#}
{%- macro any_value(expression) -%}{{ return(adapter.dispatch('any_value', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__any_value(expression) -%}first({{ expression }}){%- endmacro -%}

{#- max() of booleans is true when any is: it works on Spark 2 and 3 alike. -#}
{%- macro bool_or(expression) -%}{{ return(adapter.dispatch('bool_or', 'dbt')(expression)) }}{%- endmacro -%}
{%- macro default__bool_or(expression) -%}max({{ expression }}){%- endmacro -%}

{#- collect_list() has no order: an order_by_clause is refused with a warning. -#}
{%- macro listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
    {{ return(adapter.dispatch('listagg', 'dbt')(measure, delimiter_text, order_by_clause, limit_num)) }}
{%- endmacro -%}
{%- macro default__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause -%}
        {%- do exceptions.warn("order_by_clause is not supported for listagg on Spark") -%}
    {%- endif -%}
    {%- set collected = 'collect_list(' ~ measure ~ ')' -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    {{ return('array_join(' ~ collected ~ ', ' ~ delimiter_text ~ ')') }}
{%- endmacro -%}

{#- ---------------------------------------------------------------- arrays -#}

{%- macro array_construct(inputs=[], data_type='integer') -%}{{ return(adapter.dispatch('array_construct', 'dbt')(inputs, data_type)) }}{%- endmacro -%}
{%- macro default__array_construct(inputs, data_type) -%}array({{ inputs | join(', ') }}){%- endmacro -%}

{%- macro array_concat(array_1, array_2) -%}{{ return(adapter.dispatch('array_concat', 'dbt')(array_1, array_2)) }}{%- endmacro -%}
{%- macro default__array_concat(array_1, array_2) -%}concat({{ array_1 }}, {{ array_2 }}){%- endmacro -%}

{%- macro array_append(array, new_element) -%}{{ return(adapter.dispatch('array_append', 'dbt')(array, new_element)) }}{%- endmacro -%}
{%- macro default__array_append(array, new_element) -%}{{ array_concat(array, array_construct([new_element])) }}{%- endmacro -%}

{#- ------------------------------------------------------------- equality -#}

{%- macro equals(expr1, expr2) -%}{{ return(adapter.dispatch('equals', 'dbt')(expr1, expr2)) }}{%- endmacro -%}
{%- macro default__equals(expr1, expr2) -%}({{ expr1 }} = {{ expr2 }}){%- endmacro -%}

{#- ------------------------------------------------------------ date math -#}

{#- dateadd keeps the time of day: the date part moves by days or months, then the
    seconds since midnight are added back. Every input goes through assert_not_null, so
    a value Spark cannot read as a date fails the query instead of yielding null. -#}
{%- macro dateadd(datepart, interval, from_date_or_timestamp) -%}{{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}{%- endmacro -%}
{%- macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set x = from_date_or_timestamp -%}
    {%- set day = assert_not_null('date', x) -%}
    {%- set clock = 'to_unix_timestamp(' ~ assert_not_null('to_timestamp', x) ~ ') - to_unix_timestamp(' ~ day ~ ')' -%}
    {%- set calendar = {'day': ('date_add', 1), 'week': ('date_add', 7), 'month': ('add_months', 1),
                        'quarter': ('add_months', 3), 'year': ('add_months', 12)} -%}
    {#- dbt-spark scales milliseconds by 1/1000000, as it does microseconds: kept, to match it -#}
    {%- set seconds = {'hour': '3600', 'minute': '60', 'second': '1', 'millisecond': '(1/1000000)',
                       'microsecond': '(1/1000000)'} -%}
    {%- if datepart in calendar -%}
        {%- set fn, factor = calendar[datepart] -%}
        to_timestamp(to_unix_timestamp({{ fn }}({{ day }}, cast({{ interval }} * {{ factor }} as int))) + {{ clock }})
    {%- elif datepart in seconds -%}
        to_timestamp({{ assert_not_null('to_unix_timestamp', x) }} + cast({{ interval }} * {{ seconds[datepart] }} as int))
    {%- else -%}
        {{ exceptions.raise_compiler_error("dateadd: datepart '" ~ datepart ~ "' is not one of day, week, month, quarter, year, hour, minute, second, millisecond, microsecond") }}
    {%- endif -%}
{%- endmacro -%}

{#- f(arg), or a failed assertion when f(arg) is null while arg is not. -#}
{%- macro assert_not_null(function, arg) -%}{{ return(adapter.dispatch('assert_not_null', 'dbt')(function, arg)) }}{%- endmacro -%}
{%- macro default__assert_not_null(function, arg) -%}
    {%- set call = function ~ '(' ~ arg ~ ')' -%}
    {{ return('coalesce(' ~ call ~ ', nvl2(' ~ call ~ ', assert_true(' ~ call ~ ' is not null), null))') }}
{%- endmacro -%}

{#- datediff counts boundaries crossed from first_date to second_date, as dbt-spark does:
    whole periods by subtraction, rounded toward zero, plus one when the later date sits
    earlier in its period than the first one does (a boundary crossed mid-way). Calendar
    parts compare dates, clock parts unix times. -#}
{%- macro datediff(first_date, second_date, datepart) -%}{{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}{%- endmacro -%}
{%- macro default__datediff(first_date, second_date, datepart) -%}
    {%- set calendar = ['day', 'week', 'month', 'quarter', 'year'] -%}
    {%- set divisors = {'hour': '3600', 'minute': '60', 'second': '1', 'millisecond': '(1/1000)',
                        'microsecond': '(1/1000000)'} -%}
    {%- set f = assert_not_null('date', first_date) if datepart in calendar else first_date -%}
    {%- set s = assert_not_null('date', second_date) if datepart in calendar else second_date -%}
    {%- if datepart == 'day' -%}
        datediff({{ s }}, {{ f }})
    {%- elif datepart == 'year' -%}
        year({{ s }}) - year({{ f }})
    {%- elif datepart in ['week', 'month', 'quarter'] -%}
        {%- if datepart == 'week' -%}
            {%- set whole = 'datediff(' ~ s ~ ', ' ~ f ~ ')/7' -%}
            {%- set pos_s, pos_f = 'dayofweek(' ~ s ~ ')', 'dayofweek(' ~ f ~ ')' -%}
        {%- else -%}
            {%- set whole = 'months_between(date(' ~ s ~ '), date(' ~ f ~ '))' ~ ('/3' if datepart == 'quarter' else '') -%}
            {%- if datepart == 'month' -%}
                {%- set pos_s, pos_f = 'dayofmonth(' ~ s ~ ')', 'dayofmonth(' ~ f ~ ')' -%}
            {%- else -%}
                {%- set pos_s = '(dayofyear(' ~ s ~ ') - (quarter(' ~ s ~ ') * 365/4))' -%}
                {%- set pos_f = '(dayofyear(' ~ f ~ ') - (quarter(' ~ f ~ ') * 365/4))' -%}
            {%- endif -%}
        {%- endif -%}
        case when {{ f }} < {{ s }} then floor({{ whole }}) else ceil({{ whole }}) end
        + case when {{ f }} < {{ s }} and {{ pos_s }} < {{ pos_f }} then 1 when {{ f }} > {{ s }} and {{ pos_s }} > {{ pos_f }} then -1 else 0 end
    {%- elif datepart in divisors -%}
        {%- set u_s = assert_not_null('to_unix_timestamp', assert_not_null('to_timestamp', s)) -%}
        {%- set u_f = assert_not_null('to_unix_timestamp', assert_not_null('to_timestamp', f)) -%}
        case when {{ f }} < {{ s }} then ceil(({{ u_s }} - {{ u_f }}) / {{ divisors[datepart] }}) else floor(({{ u_s }} - {{ u_f }}) / {{ divisors[datepart] }}) end
        {%- if datepart == 'millisecond' %}
        + cast(date_format({{ s }}, 'SSS') as int) - cast(date_format({{ f }}, 'SSS') as int)
        {%- elif datepart == 'microsecond' -%}
            {#- Spark has no microsecond part: read it from 'yyyy-MM-dd HH:mm:ss.SSSSSS' text, as dbt-spark does #}
            {%- set six = "'[0-9]{4}-[0-9]{2}-[0-9]{2}.[0-9]{2}:[0-9]{2}:[0-9]{2}.([0-9]{6})'" %}
        + cast(regexp_extract({{ s }}, {{ six }}, 1) as int) - cast(regexp_extract({{ f }}, {{ six }}, 1) as int)
        {%- endif -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: datepart '" ~ datepart ~ "' is not one of day, week, month, quarter, year, hour, minute, second, millisecond, microsecond") }}
    {%- endif -%}
{%- endmacro -%}

{#- The last day of the date's period: the start of the next period, one day back. -#}
{%- macro last_day(date, datepart) -%}{{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}{%- endmacro -%}
{%- macro default__last_day(date, datepart) -%}{{ dbt.default_last_day(date, datepart) }}{%- endmacro -%}
{%- macro default_last_day(date, datepart) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro -%}

{%- macro date_spine(datepart, start_date, end_date) -%}{{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}{%- endmacro -%}
{#- dbt's date_spine asks the warehouse how many periods lie between the two dates
    (get_intervals_between runs a query), which no offline compile can answer. -#}
{%- macro default__date_spine(datepart, start_date, end_date) -%}
    {{ exceptions.raise_compiler_error("dbt.date_spine() runs a query to count the periods between its dates, which gluec cannot do offline; define spark__date_spine in the project's macros/ (e.g. with sequence() over the two dates) to supply it") }}
{%- endmacro -%}
