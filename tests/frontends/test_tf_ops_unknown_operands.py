"""TensorFlow ops on values shapelint does not follow (a ``tf.Variable``, a placeholder) are unknown, never an
argument error: ``tf.add(tf.matmul(x, w), b)`` and ``tf.argmax(y, 1)`` are valid TensorFlow (the oracle)."""
import textwrap

from shapelint.frontends.source.check import check_source

TF1_STYLE = textwrap.dedent("""
    import tensorflow as tf
    g = tf.Graph()
    with g.as_default():
        tf_x = tf.placeholder(tf.float32, [None, 784])
        tf_y = tf.placeholder(tf.float32, [None, 10])
        weights = {'h1': tf.Variable(tf.truncated_normal([784, 128])), 'out': tf.Variable(tf.truncated_normal([128, 10]))}
        biases = {'b1': tf.Variable(tf.zeros([128])), 'out': tf.Variable(tf.zeros([10]))}
        layer_1 = tf.add(tf.matmul(tf_x, weights['h1']), biases['b1'])
        out_layer = tf.matmul(layer_1, weights['out']) + biases['out']
        correct_prediction = tf.equal(tf.argmax(tf_y, 1), tf.argmax(out_layer, 1))
""").lstrip()


def test_unfollowed_operands_give_no_argument_errors():
    assert not [d for d in check_source("case.py", TF1_STYLE).diagnostics if d.severity in ("error", "warning")]


def test_argmax_takes_its_axis_by_position():
    # TensorFlow 2.21: tf.argmax(tf.ones((3, 4)), 1) has shape (3,) (TensorFlow is not among the test dependencies)
    src = "import keras\nimport tensorflow as tf\nx = keras.Input((4,))\ny = tf.argmax(x, 1)\n"
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
