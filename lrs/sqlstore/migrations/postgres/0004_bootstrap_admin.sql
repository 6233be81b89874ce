-- At most one bootstrap admin credential: the one the first start of an
-- empty database creates. Several LRS nodes may start on it at once; the
-- unique index lets exactly one of them create it.
CREATE UNIQUE INDEX credentials_bootstrap ON credentials (name) WHERE name = 'bootstrap admin';
