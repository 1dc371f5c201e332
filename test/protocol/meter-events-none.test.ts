// CSMS_METER_EVENTS=none: no meter events; 2.x Updated events about something else still are.
import { meterEventsScenario } from '../support/meter-events-scenario.js';

meterEventsScenario('none', { v16Updates: [], v201Updates: [3], mainMeterEvents: 0 });
