// The schema's type files, one per domain type. Importing them registers their types and the
// queries that return them on the builder.
import './query';
import './scalars';
import './entity-type';
import './cross-reference';
import './golden-record';
import './entity-records';
import './golden-record-lookup';
import './id-translation';
import './history';
import './relationships';
import './match-candidates';
import './entitlement';
import './match-queue';
import './mutation';
import './steward';
import './merge-preview';
import './event-subscriber';
import './subscription';
