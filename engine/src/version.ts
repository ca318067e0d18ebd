/** Engine version (package version) and the record contract version every record carries. */
export const ENGINE_VERSION = '0.1.0';
export const SCHEMA_VERSION = '1.0';
