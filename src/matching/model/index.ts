export type { PreparedRecord, PreparedValue } from './prepared-record';
export * from './schema';
export { defaultLevelProbabilities, levelProbabilities, type LevelProbabilities } from './defaults';
export { describeLevel } from './describe';
export { roundProbability, withTrainedValues, type TrainedValues } from './update';
