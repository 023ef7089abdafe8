import numpy as np
import pytest
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from pipeline import fastlinear
from pipeline.classify import ClaimModel


@pytest.fixture(scope="module")
def features(checker):
    from pipeline.train import _features, load_corpus

    dev = load_corpus()["dev"].head(600)
    return _features(checker.nlp, dev["text"].tolist(), dev["i"].to_numpy())


def test_block_products_equal_sklearn(checker, features):
    est = checker.model.estimator
    predictor = fastlinear.speed_up(est)
    assert predictor is not None and {b[0] for b in predictor.blocks} >= {"word", "char", "cues"}
    np.testing.assert_allclose(predictor.predict_proba(features), est.predict_proba(features), rtol=0, atol=1e-12)


def test_the_loaded_model_uses_it_and_the_contract_holds(checker, features):
    assert isinstance(checker.model.predictor, fastlinear.BlockLinearPredictor)
    plain = ClaimModel(checker.model.estimator, thresholds=checker.model.thresholds)
    np.testing.assert_allclose(checker.model.predict_proba(features).to_numpy(),
                               plain.predict_proba(features).to_numpy(), rtol=0, atol=1e-12)


def test_other_shapes_are_left_to_sklearn(checker):
    assert fastlinear.speed_up(ClaimModel.rules().estimator) is None
    assert fastlinear.speed_up(Pipeline([("scale", StandardScaler())])) is None
    features, clf = checker.model.estimator.steps
    assert fastlinear.speed_up(Pipeline([("features", features[1])])) is None
    with pytest.raises(ValueError):
        fastlinear.BlockLinearPredictor(Pipeline([("scale", StandardScaler())]))
