"""A made-up network of national size, written in bulk, for load tests.

``generator.generate(sizes, seed=..., log=...)`` adds to the default database:
police zones with two staff logins each and their house rules (one current
version, sometimes an older one), municipalities with Belgian postcodes and
Flemish street names, regions covering most streets (a few split by side of
the street or by house number, some streets covered by nobody), one
neighbourhood group per region and one umbrella group per municipality,
coordinators with their logins, and signups in every status with the
timestamps their life would have left. Each signup has one StatusChange: the
step that brought it to its status.

Rows are what the services would have left (the roles of ``add_zone_staff``
and ``link_coordinator_login``, the blanked fields of a withdrawal or an
erasure by the retention purge), but written in bulk: COPY on PostgreSQL,
``bulk_create`` elsewhere. Neither sends signals, so the audit log gets no
entries and the public networks cache is invalidated at the end. Ids follow
the highest id in each table; the sequences are reset afterwards.

Everything is drawn from one ``random.Random(seed)``, in a fixed order: the
same seed and sizes give the same rows, with timestamps counted back from the
time of the run. Names, e-mail addresses (example domains) and phone numbers
are synthetic.

One module per kind of data, in the order they are made:

- ``zones``: police zones, their house rules and municipalities
- ``streets``: the street register of each municipality
- ``regions``: regions, their WhatsApp groups and the streets they cover
- ``people``: zone staff, coordinators, their logins and roles
- ``signups``: signups in every status, with their last status change, and
  ``life``: the steps of each one's life up to its status

``generator`` runs them in turn, in one transaction; they share ``sizes``
(how much), ``words`` (the names and texts drawn from), ``plan`` (the network
as planned in memory), ``context`` (the random stream, the clock and the
writer of one run), ``writers`` (rows to the database in chunks) and
``postgresql`` (COPY, index rebuilds, key checks).
"""
