{{ myutils.union_relations([source('events', 'web_events'), source('events', 'app_events')]) }}
