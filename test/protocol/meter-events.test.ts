// CSMS_METER_EVENTS=periodic, the default: at most one update per transaction every 15 minutes.
import { meterEventsScenario } from '../support/meter-events-scenario.js';

meterEventsScenario('periodic', {
  // Minutes 1, 5, 14, 16, 20, 31, 32: 1 opens a window; 16 is 15 after 1; 31 is 15 after 16.
  v16Updates: [1, 16, 31],
  // 1 published; 5 within 15 minutes; 3 (charging state) always, and it restarts the window at 6;
  // 4 (minute 10) within it; 5 (minute 22) 16 after 6; 6 (minute 30) within 15 of 22.
  v201Updates: [1, 3, 5],
  // The main meter at minutes 2 and 3: one per 15 minutes.
  mainMeterEvents: 1,
});
