# From the seed article, example 1: "this raises a ValueError". In Keras 3 it does not:
# Dense acts on the last axis of the 4-D feature map and the model silently outputs (1, 5, 5, 10).
import tensorflow as tf
from tensorflow.keras import layers

model = tf.keras.Sequential([
    layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),  # Grayscale input image
    layers.MaxPooling2D((2, 2)),
    layers.Conv2D(64, (3, 3), activation='relu'),
    layers.MaxPooling2D((2, 2)),
    layers.Dense(10, activation='softmax')  # Expects a 1D array
])

try:
    # Simulate an input tensor (batch size = 1)
    input_tensor = tf.random.normal(shape=(1, 28, 28, 1))
    output = model(input_tensor)
except ValueError as e:
    print(f"ValueError encountered: {e}")
