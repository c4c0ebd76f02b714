import { boardTimerJob } from '../boards/timers';
import { deliverJob } from './deliver';

/** The job kinds of approvals, boards and notifications. */
export const workflowJobs = [deliverJob, boardTimerJob];
