package io.understudy.dist;

/** The small sample schema the test drive loads into psql1 when it creates it. */
final class SampleData {
    private SampleData() {}

    static void load(DemoHost host) {
        host.execute("CREATE SCHEMA shop");
        host.execute("CREATE TABLE shop.customers (id serial PRIMARY KEY, name text NOT NULL, city text NOT NULL)");
        host.execute("CREATE TABLE shop.orders (id serial PRIMARY KEY,"
                + " customer_id int NOT NULL REFERENCES shop.customers(id),"
                + " placed_at timestamptz NOT NULL DEFAULT now(), total numeric(10,2) NOT NULL)");
        host.execute("INSERT INTO shop.customers (name, city) VALUES"
                + " ('Aiko Tanaka', 'Osaka'), ('Ben Carter', 'Leeds'), ('Chiara Rossi', 'Turin'),"
                + " ('Diego Alvarez', 'Seville'), ('Emma Novak', 'Brno')");
        host.execute("INSERT INTO shop.orders (customer_id, total)"
                + " SELECT 1 + (g % 5), round((10 + random() * 190)::numeric, 2) FROM generate_series(1, 50) g");
    }
}
