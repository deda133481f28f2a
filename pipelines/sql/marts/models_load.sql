-- Rebuild every model mart from the staged frames (one transaction: analysts never see a mix).
DELETE FROM marts.model_assumptions;
INSERT INTO marts.model_assumptions BY NAME SELECT * FROM staged_model_assumptions;
DELETE FROM marts.mining_profitability_daily;
INSERT INTO marts.mining_profitability_daily BY NAME SELECT * FROM staged_mining_profitability_daily;
DELETE FROM marts.ai_fleet_daily;
INSERT INTO marts.ai_fleet_daily BY NAME SELECT * FROM staged_ai_fleet_daily;
DELETE FROM marts.mining_contribution_daily;
INSERT INTO marts.mining_contribution_daily BY NAME SELECT * FROM staged_mining_contribution_daily;
DELETE FROM marts.rally_attribution;
INSERT INTO marts.rally_attribution BY NAME SELECT * FROM staged_rally_attribution;
DELETE FROM marts.event_study;
INSERT INTO marts.event_study BY NAME SELECT * FROM staged_event_study;
DELETE FROM marts.sensitivity;
INSERT INTO marts.sensitivity BY NAME SELECT * FROM staged_sensitivity;
DELETE FROM meta.model_inputs;
INSERT INTO meta.model_inputs VALUES ($digest);
