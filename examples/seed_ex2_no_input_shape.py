# From the seed article, example 2: "a missing input_shape raises a ValueError". In Keras 3 the model is
# built lazily from the first call, so this runs and outputs (1, 10).
import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Conv2D(32, (3, 3), activation='relu'),  # No input shape defined here
    layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(10, activation='softmax')
])

try:
    input_tensor = tf.random.normal(shape=(1, 28, 28, 1))
    output = model(input_tensor)
except ValueError as e:
    print(f"ValueError encountered: {e}")
