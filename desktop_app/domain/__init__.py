"""Plain types and rules: enums, errors, identifiers (phone, VIN, plate), points, capacity."""
