-- Where a product's picture is published (a feed's image column); the site builder localises it.
ALTER TABLE products ADD COLUMN image_url TEXT;
