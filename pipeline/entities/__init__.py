"""Named entities in both languages, linked across the translation and to canonical ids.

``arabic`` finds Arabic mentions (gazetteer with clitics stripped, then rules for
names it lacks), ``english`` finds English mentions (spaCy with a gazetteer ruler),
``link`` links each Arabic mention to the English mention it translates and projects
English names the Arabic side missed. Mentions are spans of the side's ``entities``
layer, label = type, with attrs: entity id, role, how it was found, link.
"""

TYPES = ("PERSON", "PROVINCE", "DISTRICT_CITY", "COUNTRY", "GROUP", "ORG", "ETHNIC_RELIGIOUS")
