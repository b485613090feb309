insert into accounts (id, name) values (1, 'first');
