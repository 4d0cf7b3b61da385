import journal from './meta/_journal.json';
import m0000 from './0000_zone_init.sql';
import m0001 from './0001_character_writes.sql';
import m0002 from './0002_mud_world.sql';
import m0003 from './0003_field_world.sql';
import m0004 from './0004_zone_characters.sql';
import m0005 from './0005_character_write_attempts.sql';
import m0006 from './0006_zone_quarantine.sql';
import m0007 from './0007_engine_state.sql';
import m0008 from './0008_transfers.sql';
import m0009 from './0009_linkdead.sql';
import m0010 from './0010_instance_empty_since.sql';
import m0011 from './0011_gm_audit_writes.sql';
import m0012 from './0012_recordings.sql';

  export default {
    journal,
    migrations: {
      m0000,
m0001,
m0002,
m0003,
m0004,
m0005,
m0006,
m0007,
m0008,
m0009,
m0010,
m0011,
m0012
    }
  }
  